/**
 * Settings, drawn from what the core reports (so a setting added to the config module, such as
 * languages or output options, appears without changes here). Saved all-or-none, each refusal
 * shown beside its field.
 */
import { useEffect, useState } from 'react';
import type { InstalledLanguage, SettingView } from '../../ipc/contract';
import { api, useAction } from '../api/client';
import { Messages } from '../components/Messages';

type Draft = Record<string, string | boolean | string[]>;

function toDraft(s: SettingView): string | boolean | string[] {
  return typeof s.value === 'boolean' || Array.isArray(s.value) ? s.value : String(s.value);
}

export function Settings() {
  const [settings, setSettings] = useState<SettingView[]>([]);
  const [languages, setLanguages] = useState<InstalledLanguage[]>([]);
  const [draft, setDraft] = useState<Draft>({});
  const [fieldErrors, setFieldErrors] = useState<Record<string, string>>({});
  const action = useAction();
  const apply = (list: SettingView[]) => {
    setSettings(list);
    setDraft(Object.fromEntries(list.map((s) => [s.key, toDraft(s)])));
  };
  useEffect(() => {
    void api.settings().then((r) => (r.ok ? apply(r.value) : action.setError(r.error.message)));
    void api.languages().then((r) => r.ok && setLanguages(r.value));
  }, []);

  const save = () => {
    const values: Record<string, unknown> = {};
    for (const s of settings) {
      if (!s.persisted || s.source === 'env') continue;
      const d = draft[s.key];
      if (d === undefined || JSON.stringify(d) === JSON.stringify(toDraft(s))) continue;
      // Text boxes give strings; the core parses "8" for a number the same way `quire config set` does.
      values[s.key] = d;
    }
    void action.run('Saving settings', () => api.updateSettings({ values }), (r) => {
      setFieldErrors(Object.fromEntries(r.errors.map((e) => [e.key, e.message])));
      if (r.errors.length) {
        action.setError('Nothing was saved: fix the values marked below.');
        return;
      }
      apply(r.settings);
      return Object.keys(values).length ? 'Settings saved.' : 'Nothing changed.';
    });
  };

  return (
    <section aria-labelledby="settings-title">
      <h1 id="settings-title">Settings</h1>
      <Messages busy={action.busy} error={action.error} notice={action.notice} />
      <form
        className="settings"
        onSubmit={(e) => {
          e.preventDefault();
          save();
        }}
      >
        {settings.map((s) => {
          const id = `set-${s.key}`;
          const locked = !s.persisted || s.source === 'env';
          const d = draft[s.key];
          const err = fieldErrors[s.key];
          return (
            <div className="field" key={s.key}>
              {typeof d === 'boolean' ? (
                <label className="check" htmlFor={id}>
                  <input id={id} type="checkbox" checked={d} disabled={locked} onChange={(e) => setDraft({ ...draft, [s.key]: e.target.checked })} />
                  {s.key}
                </label>
              ) : Array.isArray(d) ? (
                <fieldset>
                  <legend>{s.key}</legend>
                  {languages.map(({ code: l, name }) => (
                    <label key={l} className="check">
                      <input type="checkbox" checked={d.includes(l)} disabled={locked} onChange={(e) => setDraft({ ...draft, [s.key]: e.target.checked ? [...d, l] : d.filter((x) => x !== l) })} />
                      {name} ({l})
                    </label>
                  ))}
                </fieldset>
              ) : (
                <>
                  <label htmlFor={id}>{s.key}</label>
                  <input id={id} value={d ?? ''} disabled={locked} aria-invalid={!!err} aria-describedby={`${id}-help`} onChange={(e) => setDraft({ ...draft, [s.key]: e.target.value })} data-testid={id} />
                </>
              )}
              <small id={`${id}-help`}>
                {s.description} Accepts {s.accepts}.{' '}
                {s.source === 'env' ? `Set by the environment variable ${s.env}.` : !s.persisted ? `Set with the environment variable ${s.env}.` : ''}
              </small>
              {err && (
                <p className="error" role="alert" data-testid={`${id}-error`}>
                  {err}
                </p>
              )}
            </div>
          );
        })}
        <p className="muted">Installed OCR languages: {languages.length ? languages.map((l) => `${l.name} (${l.code})`).join(', ') : 'none found'}.</p>
        <button type="submit" disabled={!!action.busy} data-testid="settings-save">
          Save settings
        </button>
      </form>
    </section>
  );
}
