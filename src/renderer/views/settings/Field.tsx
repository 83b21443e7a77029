/** One setting as a form field: a checkbox, a list of installed languages, or a text box. */
import type { SettingView } from '../../../ipc/contract';
import { languageName, wordsFor } from './words';

export type DraftValue = string | boolean;

export function Field(props: { s: SettingView; value: DraftValue; error?: string; languages: string[]; onChange: (v: DraftValue) => void }) {
  const { s, value } = props;
  const w = wordsFor(s.key);
  const id = `set-${s.key}`;
  const pinned = s.source === 'env';
  const envOnly = !s.persisted;
  const locked = pinned || envOnly;
  const help = (
    <small id={`${id}-help`}>
      {s.description} {s.key === 'ocr_languages' || typeof value === 'boolean' ? '' : `Accepts ${s.accepts}.`}
      {pinned && (
        <strong className="pinned" data-testid={`${id}-pinned`}>
          {' '}
          Set by the environment variable {s.env} when Quire started; change it there.
        </strong>
      )}
      {envOnly && !pinned && <span> Only the environment variable {s.env} changes it (read when Quire starts).</span>}
      {w.restart && !locked && <span className="restart"> A running Quire uses a new value after it restarts.</span>}
    </small>
  );
  const error = props.error && (
    <p className="error" role="alert" id={`${id}-error`} data-testid={`${id}-error`}>
      {props.error}
    </p>
  );
  const describedBy = `${id}-help${props.error ? ` ${id}-error` : ''}`;

  if (typeof value === 'boolean') {
    return (
      <div className="field">
        <label className="check" htmlFor={id}>
          <input id={id} type="checkbox" checked={value} disabled={locked} aria-describedby={describedBy} onChange={(e) => props.onChange(e.target.checked)} data-testid={id} />
          {w.label}
        </label>
        {help}
        {error}
      </div>
    );
  }
  if (s.key === 'ocr_languages' && props.languages.length > 0) {
    const chosen = value.split('+').filter(Boolean);
    // A saved language no longer installed still shows, so it can be unticked.
    const all = [...props.languages, ...chosen.filter((c) => !props.languages.includes(c))];
    return (
      <fieldset className="field" aria-describedby={describedBy} data-testid={id}>
        <legend>{w.label}</legend>
        <div className="choices">
          {all.map((l) => (
            <label key={l} className="check">
              <input
                type="checkbox"
                checked={chosen.includes(l)}
                disabled={locked}
                onChange={(e) => props.onChange((e.target.checked ? [...chosen, l] : chosen.filter((x) => x !== l)).join('+'))}
              />
              {languageName(l)}
              {!props.languages.includes(l) && <span className="error"> (not installed)</span>}
            </label>
          ))}
        </div>
        {help}
        {error}
      </fieldset>
    );
  }
  const multiline = s.key === 'path_mappings';
  return (
    <div className="field">
      <label htmlFor={id}>
        {w.label}
        {w.unit && <span className="muted"> ({w.unit})</span>}
      </label>
      {multiline ? (
        <textarea id={id} rows={2} value={value} readOnly={locked} aria-invalid={!!props.error} aria-describedby={describedBy} onChange={(e) => props.onChange(e.target.value)} data-testid={id} />
      ) : (
        <input id={id} value={value} readOnly={locked} inputMode={typeof s.value === 'number' ? 'numeric' : undefined} aria-invalid={!!props.error} aria-describedby={describedBy} onChange={(e) => props.onChange(e.target.value)} data-testid={id} />
      )}
      {help}
      {error}
    </div>
  );
}
