/**
 * The Failures screen's section for files Quire found under added paths and watched folders but
 * does not read (unsupported format, no permission, ...): counted by reason, with the names.
 * They never became jobs, so without this they would appear nowhere.
 */
import { useCallback, useEffect, useState } from 'react';
import { SKIP_REASON_LABEL, SKIP_REASON_TEXT, type SkippedList } from '../../ipc/contract';
import { api, useEvent } from '../api/client';
import { num, plural } from '../format';

/** Names shown on the screen; `quire skipped` lists them all. */
const SHOWN = 200;

export function NotRead() {
  const [list, setList] = useState<SkippedList | null>(null);
  const [error, setError] = useState<string | null>(null);
  const load = useCallback(() => {
    void api.skippedFiles({ limit: SHOWN }).then((r) => (r.ok ? (setList(r.value), setError(null)) : setError(r.error.message)));
  }, []);
  useEffect(load, [load]);
  // Adding files replaces the list under them; a watched folder's rescan too (both change the stats).
  useEvent('statsChanged', load);
  useEvent('ingestProgress', (p) => p.done && load());
  if (error) return <p role="alert">{error}</p>;
  if (!list) return null;
  return (
    <section aria-labelledby="notread-title" data-testid="not-read">
      <h2 id="notread-title">Files not read</h2>
      {list.total === 0 ? (
        <p data-testid="not-read-total">Every file found under the added paths and watched folders is queued or read.</p>
      ) : (
        <>
          <p data-testid="not-read-total">
            {plural(list.total, 'file')} found under the added paths and watched folders that Quire does not read. Fix or convert one, then add it again, and it
            leaves this list.
          </p>
          <ul className="groups">
            {list.byReason.map((g) => {
              const files = list.files.filter((f) => f.reason === g.reason);
              return (
                <li className="group" key={g.reason} data-testid={`not-read-${g.reason}`}>
                  <div className="row">
                    <strong>{SKIP_REASON_LABEL[g.reason]}</strong>
                    <span className="badge" data-testid="not-read-count">
                      {num(g.count)}
                    </span>
                    <span className="reason">{SKIP_REASON_TEXT[g.reason]}</span>
                  </div>
                  <ul className="failed-files">
                    {files.map((f) => (
                      <li key={f.path}>
                        <span className="path">{f.path}</span>
                        <span className="muted"> — {f.message}</span>
                      </li>
                    ))}
                    {g.count > files.length && <li className="muted">…and {num(g.count - files.length)} more: quire skipped lists them all.</li>}
                  </ul>
                </li>
              );
            })}
          </ul>
        </>
      )}
    </section>
  );
}
