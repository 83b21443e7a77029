/**
 * Settings, drawn from what the core reports (a setting added elsewhere appears here with its
 * key in words). Saved all-or-none; each refusal is shown beside its field; the Save bar stays
 * in view; values pinned by the environment are read-only and say which variable pins them.
 */
import { useEffect, useState } from 'react';
import type { SettingView } from '../../../ipc/contract';
import { api, useAction } from '../../api/client';
import { useInstalledLanguages } from '../../components/LanguagePicker';
import { Messages } from '../../components/Messages';
import { type DraftValue, Field } from './Field';
import { GROUPS, refusalInWords, wordsFor } from './words';

const toDraft = (s: SettingView): DraftValue => (typeof s.value === 'boolean' ? s.value : Array.isArray(s.value) ? s.value.join('+') : String(s.value));
const editable = (s: SettingView) => s.persisted && s.source !== 'env';

export function Settings() {
  const [settings, setSettings] = useState<SettingView[]>([]);
  const languages = useInstalledLanguages();
  const [draft, setDraft] = useState<Record<string, DraftValue>>({});
  const [fieldErrors, setFieldErrors] = useState<Record<string, string>>({});
  const action = useAction();
  const apply = (list: SettingView[]) => {
    setSettings(list);
    setDraft(Object.fromEntries(list.map((s) => [s.key, toDraft(s)])));
  };
  useEffect(() => {
    void api.settings().then((r) => (r.ok ? apply(r.value) : action.setError(r.error.message)));
  }, []);

  const changed = settings.filter((s) => editable(s) && draft[s.key] !== undefined && draft[s.key] !== toDraft(s));

  const save = () => {
    const errors: Record<string, string> = {};
    for (const s of changed) {
      const d = draft[s.key];
      if (typeof d === 'string' && d.trim() === '' && s.key !== 'path_mappings') {
        errors[s.key] = s.key === 'ocr_languages' ? 'Choose at least one language.' : `Enter a value: it accepts ${s.accepts}.`;
      }
    }
    if (Object.keys(errors).length) {
      setFieldErrors(errors);
      return action.setError('Nothing was saved: fix the values marked below.');
    }
    // Text boxes give strings; the core parses "8" for a number the same way `quire config set` does.
    const values = Object.fromEntries(changed.map((s) => [s.key, draft[s.key]]));
    void action.run('Saving settings', () => api.updateSettings({ values }), (r) => {
      setFieldErrors(Object.fromEntries(r.errors.map((e) => [e.key, refusalInWords(e.key, e.message)])));
      if (r.errors.length) {
        action.setError('Nothing was saved: fix the values marked below.');
        return;
      }
      apply(r.settings);
      // When a running Quire applies each change, and any cap, as the core says them.
      const saved = r.settings.filter((s) => s.key in values);
      return [
        'Settings saved.',
        ...saved.filter((s) => s.capped).map((s) => `${wordsFor(s.key).label}: ${s.capped}`),
        ...saved.filter((s) => s.applies !== 'now').map((s) => `${wordsFor(s.key).label}: ${s.appliesNote}`),
        saved.some((s) => s.applies === 'now') ? `${saved.filter((s) => s.applies === 'now').map((s) => wordsFor(s.key).label).join(', ')}: a running Quire applies this at once.` : '',
      ]
        .filter(Boolean)
        .join(' ');
    });
  };

  return (
    <section aria-labelledby="settings-title" className="settings">
      <h1 id="settings-title">Settings</h1>
      <Messages busy={action.busy} error={action.error} notice={action.notice} />
      <form
        onSubmit={(e) => {
          e.preventDefault();
          save();
        }}
      >
        {GROUPS.map((g) => {
          const list = settings.filter((s) => wordsFor(s.key).group === g);
          if (list.length === 0) return null;
          return (
            <fieldset key={g} className="group-box">
              <legend>{g}</legend>
              {g === 'Advanced' && (
                <p className="muted" data-testid="settings-restart-only">
                  Values set only with environment variables are read when Quire starts; each says so. The data folder, the database and the
                  address of quire serve are chosen when Quire starts too (--data-dir, --database-url, --port): restart Quire to change them.
                </p>
              )}
              {list.map((s) => (
                <Field
                  key={s.key}
                  s={s}
                  value={draft[s.key] ?? toDraft(s)}
                  error={fieldErrors[s.key]}
                  languages={languages}
                  onChange={(v) => setDraft({ ...draft, [s.key]: v })}
                />
              ))}
            </fieldset>
          );
        })}
        <div className="savebar">
          <span className="muted" aria-live="polite">
            {changed.length === 0 ? 'No unsaved changes.' : `${changed.length} unsaved change${changed.length === 1 ? '' : 's'}.`}
          </span>
          <button type="button" disabled={changed.length === 0 || !!action.busy} onClick={() => (apply(settings), setFieldErrors({}), action.setError(null))}>
            Undo changes
          </button>
          <button type="submit" className="primary" disabled={!!action.busy} data-testid="settings-save">
            Save settings
          </button>
        </div>
      </form>
    </section>
  );
}
