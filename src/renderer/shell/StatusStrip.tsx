/**
 * States nobody may miss, on every screen: the server gone (reconnecting by itself), the token
 * refused, results that cannot be saved, a paused queue.
 */
import { useEffect, useState } from 'react';
import { api, useStorageStatus } from '../api/client';
import { retryNow, useConnection } from '../api/connection';
import { acceptStats, useQueue } from '../state/queue';

function useSecondsUntil(at: number | undefined): number {
  const [now, setNow] = useState(Date.now());
  useEffect(() => {
    if (at === undefined) return;
    const t = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(t);
  }, [at]);
  return at === undefined ? 0 : Math.max(0, Math.ceil((at - now) / 1000));
}

export function StatusStrip() {
  const conn = useConnection();
  const storage = useStorageStatus();
  const { stats } = useQueue();
  const wait = useSecondsUntil(conn.status === 'connected' ? undefined : conn.nextTryAt);
  const [busy, setBusy] = useState(false);
  const [resumeError, setResumeError] = useState<string | null>(null);
  return (
    <div className="strip" data-testid="status-strip">
      {conn.status === 'lost' && (
        <div className="alert bad" role="alert" data-testid="connection-lost">
          <strong>Connection to Quire lost.</strong> The numbers on screen may be out of date; is <code>quire serve</code> still running?{' '}
          {wait > 0 ? `Trying again in ${wait} s.` : 'Trying again…'}{' '}
          <button type="button" className="small" onClick={retryNow}>
            Retry now
          </button>
        </div>
      )}
      {conn.status === 'unauthorized' && (
        <div className="alert bad" role="alert" data-testid="connection-unauthorized">
          <strong>Quire refused this page’s access token</strong> (it was replaced with <code>quire serve --new-token</code>). Open the address <code>quire serve</code> printed in this tab; the page reconnects by itself.{' '}
          <button type="button" className="small" onClick={retryNow}>
            Retry now
          </button>
        </div>
      )}
      {conn.status === 'connected' && storage && !storage.ok && (
        <div className="alert bad" role="alert" data-testid="storage-fault">
          <strong>Results cannot be saved right now.</strong> {storage.message}
        </div>
      )}
      {conn.status === 'connected' && storage?.ok && (
        <p className="notice" role="status" data-testid="storage-ok">
          {storage.message}
        </p>
      )}
      {conn.status === 'connected' && stats?.paused && (
        <div className="alert warn" role="status" data-testid="paused-banner">
          <strong>The queue is paused:</strong> no new file starts{stats.processing > 0 ? ' (files already running finish)' : ''}.{' '}
          <button
            type="button"
            className="small"
            disabled={busy}
            onClick={async () => {
              setBusy(true);
              const r = await api.resume();
              setBusy(false);
              if (r.ok) acceptStats(r.value);
              setResumeError(r.ok ? null : r.error.message);
            }}
          >
            Resume
          </button>
          {resumeError && <span className="error"> {resumeError}</span>}
        </div>
      )}
    </div>
  );
}
