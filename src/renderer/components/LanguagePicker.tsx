/**
 * OCR languages as ticks: one per installed language ("German (deu)"), in the order they were
 * ticked (tesseract tries the first one first). A chosen language no longer installed still
 * shows, marked, so it can be unticked. The value is tesseract's form, 'deu+eng'.
 */
import type { ReactNode } from 'react';
import { useEffect, useState } from 'react';
import type { InstalledLanguage } from '../../ipc/contract';
import { api } from '../api/client';

export function languageLabel(l: Pick<InstalledLanguage, 'code' | 'name'>): string {
  return l.name && l.name !== l.code ? `${l.name} (${l.code})` : l.code;
}

/** "German (deu), English (eng)" for 'deu+eng', with the names this installation knows. */
export function languagesInWords(value: string, installed: readonly InstalledLanguage[]): string {
  return value
    .split('+')
    .filter(Boolean)
    .map((code) => languageLabel(installed.find((l) => l.code === code) ?? { code, name: code }))
    .join(', ');
}

/** The installed languages (shipped and added), fetched once per screen. */
export function useInstalledLanguages(): InstalledLanguage[] {
  const [installed, setInstalled] = useState<InstalledLanguage[]>([]);
  useEffect(() => {
    void api.languages().then((r) => r.ok && setInstalled(r.value));
  }, []);
  return installed;
}

/** The ocr_languages setting as it stands ('eng'): what files are read with unless a choice says otherwise. */
export function useDefaultLanguages(): string {
  const [value, setValue] = useState('');
  useEffect(() => {
    void api.settings().then((r) => {
      const s = r.ok ? r.value.find((x) => x.key === 'ocr_languages') : undefined;
      if (s) setValue(Array.isArray(s.value) ? s.value.join('+') : String(s.value));
    });
  }, []);
  return value;
}

/**
 * A choice of languages for some files, folded under its summary ("Languages in these files:
 * English (eng)"). `value` null: the setting's languages. What to send: undefined while the
 * choice is the setting's (so the files follow the setting), the codes otherwise.
 */
export function FilesLanguages(props: { id: string; installed: readonly InstalledLanguage[]; defaults: string; value: string | null; onChange: (v: string) => void; disabled?: boolean }) {
  const value = props.value ?? props.defaults;
  return (
    <details className="languages" data-testid={`${props.id}-details`}>
      <summary>
        Languages in these files: <span data-testid={`${props.id}-summary`}>{value ? languagesInWords(value, props.installed) : 'none chosen'}</span>
        {value === props.defaults && <span className="muted"> (as in Settings)</span>}
      </summary>
      <LanguagePicker id={props.id} legend="Read them as" installed={props.installed} value={value} onChange={props.onChange} disabled={props.disabled}>
        <small>Tick every language that appears; the first ticked is tried first. More languages read a little slower.</small>
      </LanguagePicker>
    </details>
  );
}

/** What to send for a FilesLanguages choice: nothing while it is the setting's. */
export function chosenLanguages(value: string | null, defaults: string): string | undefined {
  return value !== null && value !== defaults ? value : undefined;
}

export function LanguagePicker(props: {
  id: string;
  legend: ReactNode;
  installed: readonly InstalledLanguage[];
  value: string;
  onChange: (value: string) => void;
  disabled?: boolean;
  describedBy?: string;
  children?: ReactNode;
}) {
  const chosen = props.value.split('+').filter(Boolean);
  const codes = props.installed.map((l) => l.code);
  const all = [...props.installed, ...chosen.filter((c) => !codes.includes(c)).map((code) => ({ code, name: code, missing: true }))];
  return (
    <fieldset className="field" aria-describedby={props.describedBy} data-testid={props.id} disabled={props.disabled}>
      <legend>{props.legend}</legend>
      <div className="choices">
        {all.map((l) => (
          <label key={l.code} className="check">
            <input
              type="checkbox"
              value={l.code}
              checked={chosen.includes(l.code)}
              onChange={(e) => props.onChange((e.target.checked ? [...chosen, l.code] : chosen.filter((x) => x !== l.code)).join('+'))}
            />
            {languageLabel(l)}
            {'missing' in l && <span className="error"> (not installed)</span>}
          </label>
        ))}
      </div>
      {props.children}
    </fieldset>
  );
}
