/**
 * How many files are read at once. The host caps the saved number at its CPU cores; the field
 * shows what runs and says when the number asked for was capped.
 */
import { useEffect, useState } from 'react';
import type { SettingView } from '../../../ipc/contract';
import { api, useAction } from '../../api/client';
import { Messages } from '../../components/Messages';
import { plural } from '../../format';

export function Concurrency(props: { onApplied: () => void }) {
  const [setting, setSetting] = useState<SettingView | null>(null);
  const [draft, setDraft] = useState('');
  const [invalid, setInvalid] = useState(false);
  const action = useAction();
  useEffect(() => {
    void api.settings().then((r) => {
      if (!r.ok) return;
      const c = r.value.find((s) => s.key === 'concurrent_ocr_jobs') ?? null;
      setSetting(c);
      setDraft(c ? String(c.value) : '');
    });
  }, []);
  if (!setting) return null;
  const pinned = setting.source === 'env';
  return (
    <section aria-labelledby="conc-title">
      <h2 id="conc-title">Files read at once</h2>
      <form
        className="row"
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          const asked = Number(draft.trim());
          if (!/^\d+$/.test(draft.trim()) || asked < 1 || asked > 64) {
            setInvalid(true);
            return action.setError('Enter a whole number from 1 to 64.');
          }
          setInvalid(false);
          void action.run('Saving', () => api.setConcurrency({ value: asked }), (r) => {
            setSetting(r.setting);
            setDraft(String(r.setting.value));
            props.onApplied();
            const n = r.setting.value as number;
            const capped = n < asked ? ` (you asked for ${asked}; this computer has ${n} CPU cores, and more would only wait for a core)` : '';
            return r.applied ? `Now reading up to ${plural(n, 'file')} at once${capped}.` : `Saved: up to ${plural(n, 'file')} at once when a worker pool runs${capped}.`;
          });
        }}
      >
        <label htmlFor="concurrency">OCR workers</label>
        <input id="concurrency" type="number" inputMode="numeric" min={1} max={64} value={draft} disabled={pinned} aria-invalid={invalid} aria-describedby="concurrency-help" onChange={(e) => setDraft(e.target.value)} />
        <button type="submit" disabled={!!action.busy || pinned}>
          Apply
        </button>
      </form>
      <p id="concurrency-help" className="muted">
        {pinned ? `Set by the environment variable ${setting.env} when Quire started; change it there.` : 'Each worker reads one file on one CPU core; more workers than cores only wait.'}
      </p>
      <Messages busy={action.busy} error={action.error} notice={action.notice} />
    </section>
  );
}
