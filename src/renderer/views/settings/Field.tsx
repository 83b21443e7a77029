/** One setting as a form field: a checkbox, a list of installed languages, or a text box. */
import type { InstalledLanguage, SettingView } from '../../../ipc/contract';
import { LanguagePicker } from '../../components/LanguagePicker';
import { wordsFor } from './words';

export type DraftValue = string | boolean;

export function Field(props: { s: SettingView; value: DraftValue; error?: string; languages: InstalledLanguage[]; onChange: (v: DraftValue) => void }) {
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
      {!locked && s.applies !== 'now' && (
        <span className="restart" data-testid={`${id}-applies`}>
          {' '}
          {s.appliesNote}
        </span>
      )}
      {s.capped && (
        <strong className="capped" data-testid={`${id}-capped`}>
          {' '}
          {s.capped}
        </strong>
      )}
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
    return (
      <LanguagePicker id={id} legend={w.label} installed={props.languages} value={value} onChange={props.onChange} disabled={locked} describedBy={describedBy}>
        {help}
        {error}
      </LanguagePicker>
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
