/** Who is reading what: the pool's workers with file and page (a list of cards on a narrow window). */
import type { WorkersView } from '../../../ipc/contract';
import { baseName } from '../../format';

export function Workers(props: { workers: WorkersView | null; left: number; paused: boolean }) {
  const { workers } = props;
  if (!workers) return null;
  return (
    <section aria-labelledby="workers-title">
      <h2 id="workers-title">Workers</h2>
      {workers.source === 'none' && (
        <p data-testid="no-worker" className={props.left > 0 && !props.paused ? 'alert warn' : undefined}>
          No worker running{props.left > 0 && !props.paused ? ', so the files in hand will not be read' : ''}. Start one with <code>quire worker</code>, or use{' '}
          <code>quire serve</code> without <code>--no-workers</code>, or the desktop app.
        </p>
      )}
      {workers.workers.length > 0 && (
        <table className="grid stack">
          <thead>
            <tr>
              <th scope="col">Worker</th>
              <th scope="col">State</th>
              <th scope="col">File</th>
              <th scope="col">Page</th>
            </tr>
          </thead>
          <tbody>
            {workers.workers.map((w) => (
              <tr key={w.id + (w.jobId ?? '')} data-testid="worker-row" data-state={w.state}>
                <td data-label="Worker" className="path" title={w.id}>
                  {workerLabel(w.id)}
                </td>
                <td data-label="State">{w.state}</td>
                <td data-label="File" className="path" title={w.path ?? undefined}>
                  {w.path ? baseName(w.path) : '—'}
                </td>
                <td data-label="Page">{w.page ? `${w.page} of ${w.pages ?? '?'}` : '—'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {workers.source === 'external' && <p>These files are held by worker processes outside this server.</p>}
    </section>
  );
}

/** "host #2" for a worker id like host@<boot id>.<pid namespace>/<pid>/2 (the whole id is in the tooltip). */
function workerLabel(id: string): string {
  const m = /^([^@]+)@.*\/(\d+)$/.exec(id);
  return m ? `${m[1]} #${m[2]}` : id;
}
