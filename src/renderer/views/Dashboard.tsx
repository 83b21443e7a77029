/** Live queue numbers (the seed's stats), throughput, overall progress with ETA, workers, pause/resume, concurrency. */
import { useCallback, useEffect, useState } from 'react';
import type { MinuteCount, QueueStats, SettingView, WorkersView } from '../../ipc/contract';
import { api, useAction, useEvent, useStorageStatus } from '../api/client';
import { Messages } from '../components/Messages';
import { ProgressBar } from '../components/ProgressBar';
import { ThroughputChart } from '../components/ThroughputChart';
import { etaText, minutes, num } from '../format';

const SEED_KEYS: { key: keyof QueueStats; label: string; fmt?: (v: number) => string }[] = [
  { key: 'pending', label: 'Pending' },
  { key: 'processing', label: 'Processing' },
  { key: 'failed', label: 'Failed' },
  { key: 'completed_today', label: 'Completed today' },
  { key: 'avg_wait_time_minutes', label: 'Average wait', fmt: minutes },
  { key: 'oldest_pending_minutes', label: 'Oldest pending', fmt: minutes },
];

export function Dashboard() {
  const [stats, setStats] = useState<QueueStats | null>(null);
  const [chart, setChart] = useState<MinuteCount[]>([]);
  const [workers, setWorkers] = useState<WorkersView | null>(null);
  const [concurrency, setConcurrency] = useState<SettingView | null>(null);
  const [draft, setDraft] = useState('');
  const action = useAction();
  const storage = useStorageStatus();

  const loadSlow = useCallback(async () => {
    const [t, w] = await Promise.all([api.throughput({ minutes: 60 }), api.workers()]);
    if (t.ok) setChart(t.value);
    if (w.ok) setWorkers(w.value);
  }, []);

  useEffect(() => {
    void api.stats().then((r) => (r.ok ? setStats(r.value) : action.setError(r.error.message)));
    void api.settings().then((r) => {
      if (!r.ok) return;
      const c = r.value.find((s) => s.key === 'concurrent_ocr_jobs') ?? null;
      setConcurrency(c);
      setDraft(c ? String(c.value) : '');
    });
    void loadSlow();
    // Workers start, stop and resize without the queue numbers changing: look again every few seconds.
    const t = setInterval(() => void loadSlow(), 3000);
    return () => clearInterval(t);
  }, []);

  useEvent('statsChanged', (s) => {
    setStats(s);
    void loadSlow();
  });
  useEvent('jobProgress', () => void loadSlow());

  const total = stats ? stats.pending + stats.processing + stats.completed + stats.failed + stats.cancelled : 0;
  const done = stats ? stats.completed + stats.failed + stats.cancelled : 0;

  return (
    <section aria-labelledby="dash-title">
      <h1 id="dash-title">Dashboard</h1>
      <Messages busy={action.busy} error={action.error} notice={action.notice} />
      {storage && !storage.ok && (
        <p className="error banner" role="alert" data-testid="storage-fault">
          <strong>Results cannot be saved right now.</strong> {storage.message}
        </p>
      )}
      {storage?.ok && (
        <p className="notice" role="status" data-testid="storage-ok">
          {storage.message}
        </p>
      )}
      {stats && (
        <>
          <dl className="cards">
            {SEED_KEYS.map(({ key, label, fmt }) => (
              <div className="card" key={key}>
                <dt>{label}</dt>
                <dd data-testid={`stat-${key}`} data-value={String(stats[key])}>
                  {fmt ? fmt(stats[key] as number) : num(stats[key] as number)}
                </dd>
              </div>
            ))}
          </dl>
          <h2>Overall progress</h2>
          <ProgressBar value={done} max={total} label="Files finished" />
          <p data-testid="progress-text">
            {num(done)} of {num(total)} files finished ({num(stats.completed)} completed, {num(stats.failed)} failed, {num(stats.cancelled)} cancelled). {etaText(stats, chart, Date.now())}
          </p>
          <div className="row">
            {stats.paused ? (
              <button type="button" data-testid="resume" disabled={!!action.busy} onClick={() => void action.run('Resuming', () => api.resume(), (s) => (setStats(s), 'Queue resumed.'))}>
                Resume queue
              </button>
            ) : (
              <button type="button" data-testid="pause" disabled={!!action.busy} onClick={() => void action.run('Pausing', () => api.pause(), (s) => (setStats(s), 'Queue paused: running jobs finish, no new job starts.'))}>
                Pause queue
              </button>
            )}
            <span data-testid="queue-state" className={stats.paused ? 'badge warn' : 'badge ok'}>
              {stats.paused ? 'Paused' : 'Running'}
            </span>
          </div>
        </>
      )}
      <h2>Throughput</h2>
      <ThroughputChart data={chart} nowMinute={Math.floor(Date.now() / 60_000)} minutes={60} />
      <h2>Workers</h2>
      {workers && workers.source === 'none' && <p data-testid="no-worker">No worker running. Start one with quire worker, or use the desktop app.</p>}
      {workers && workers.workers.length > 0 && (
        <table className="grid">
          <thead>
            <tr>
              <th>Worker</th>
              <th>State</th>
              <th>File</th>
              <th>Page</th>
            </tr>
          </thead>
          <tbody>
            {workers.workers.map((w) => (
              <tr key={w.id + (w.jobId ?? '')} data-testid="worker-row" data-state={w.state}>
                <td>{w.id}</td>
                <td>{w.state}</td>
                <td className="path">{w.path ?? '—'}</td>
                <td>{w.page ? `${w.page} of ${w.pages ?? '?'}` : '—'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {workers?.source === 'external' && <p>These jobs are held by worker processes outside this server.</p>}
      <h2>Concurrency</h2>
      <form
        className="row"
        onSubmit={(e) => {
          e.preventDefault();
          void action.run('Saving concurrency', () => api.setConcurrency({ value: Number(draft) }), (r) => {
            setConcurrency(r.setting);
            void loadSlow();
            return r.applied ? `Now running up to ${r.setting.value} OCR jobs at once.` : `Saved: up to ${r.setting.value} OCR jobs at once when a worker pool runs.`;
          });
        }}
      >
        <label htmlFor="concurrency">Concurrent OCR jobs</label>
        <input id="concurrency" type="number" min={1} max={64} value={draft} onChange={(e) => setDraft(e.target.value)} />
        <button type="submit" disabled={!!action.busy}>
          Apply
        </button>
        {concurrency && <small>{concurrency.description}</small>}
      </form>
    </section>
  );
}
