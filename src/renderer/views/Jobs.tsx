/** Every job, paged from the server with keyset cursors and drawn virtualised; filters and sort. */
import { useCallback, useEffect, useRef, useState } from 'react';
import { ERROR_KINDS } from '../../ipc/contract';
import type { JobListRow, JobSort, JobStatus } from '../../ipc/contract';
import { api, useAction, useEvent } from '../api/client';
import { Messages } from '../components/Messages';
import { VirtualRows } from '../components/VirtualRows';
import { bytes, num, time } from '../format';

const STATUSES: JobStatus[] = ['pending', 'processing', 'completed', 'failed', 'cancelled'];
const SORTS: { value: JobSort; label: string }[] = [
  { value: 'created_desc', label: 'Newest first' },
  { value: 'created_asc', label: 'Oldest first' },
  { value: 'path_asc', label: 'Path A–Z' },
  { value: 'path_desc', label: 'Path Z–A' },
];
const PAGE = 500;
const ROW = 34;

export interface JobFilters {
  status: string;
  kind: string;
  folder: string;
  pathSearch: string;
  sort: JobSort;
}

export function Jobs(props: { onOpenDocument: (id: string) => void }) {
  const [f, setF] = useState<JobFilters>({ status: '', kind: '', folder: '', pathSearch: '', sort: 'created_desc' });
  const [rows, setRows] = useState<JobListRow[]>([]);
  const [next, setNext] = useState<string | null>(null);
  const [loading, setLoading] = useState(false);
  const generation = useRef(0);
  const action = useAction();

  const query = useCallback(
    (after?: string) =>
      api.listJobs({
        status: (f.status || undefined) as JobStatus | undefined,
        kind: (f.kind || undefined) as (typeof ERROR_KINDS)[number] | undefined,
        folder: f.folder || undefined,
        pathSearch: f.pathSearch || undefined,
        sort: f.sort,
        after,
        limit: PAGE,
      }),
    [f],
  );

  const reload = useCallback(async () => {
    const gen = ++generation.current;
    setLoading(true);
    const r = await query();
    if (gen !== generation.current) return; // a newer filter won
    setLoading(false);
    if (!r.ok) return action.setError(r.error.message);
    action.setError(null);
    setRows(r.value.rows);
    setNext(r.value.next);
    setLive(new Map());
  }, [query]);

  // Filters typed into text boxes apply after a short pause, not on every keystroke.
  useEffect(() => {
    const t = setTimeout(() => void reload(), 250);
    return () => clearTimeout(t);
  }, [reload]);

  const loadMore = useCallback(async () => {
    if (!next || loading) return;
    const gen = generation.current;
    setLoading(true);
    const r = await query(next);
    if (gen !== generation.current) return;
    setLoading(false);
    if (!r.ok) return action.setError(r.error.message);
    setRows((old) => old.concat(r.value.rows));
    setNext(r.value.next);
  }, [next, loading, query]);

  // Live changes are kept beside the rows and merged only for rows drawn: copying a million
  // loaded rows on every progress event would stall scrolling.
  const [live, setLive] = useState<ReadonlyMap<string, Partial<JobListRow>>>(new Map());
  const patch = (id: string, p: Partial<JobListRow>) => setLive((old) => new Map(old).set(id, { ...old.get(id), ...p }));
  useEvent('jobFinished', (e) => patch(e.jobId, { status: e.status, errorKind: e.kind, errorMessage: e.message }));
  useEvent('jobProgress', (e) => patch(e.jobId, { status: 'processing', progressPage: e.page, progressPages: e.pages }));

  const set = (patch: Partial<JobFilters>) => setF((old) => ({ ...old, ...patch }));

  return (
    <section aria-labelledby="jobs-title">
      <h1 id="jobs-title">Jobs</h1>
      <form className="filters" onSubmit={(e) => e.preventDefault()}>
        <label>
          Status
          <select value={f.status} onChange={(e) => set({ status: e.target.value })} data-testid="filter-status">
            <option value="">All</option>
            {STATUSES.map((s) => (
              <option key={s}>{s}</option>
            ))}
          </select>
        </label>
        <label>
          Error kind
          <select value={f.kind} onChange={(e) => set({ kind: e.target.value })}>
            <option value="">Any</option>
            {ERROR_KINDS.map((k) => (
              <option key={k}>{k}</option>
            ))}
          </select>
        </label>
        <label>
          Folder
          <input value={f.folder} onChange={(e) => set({ folder: e.target.value })} placeholder="/path/to/folder" />
        </label>
        <label>
          Path contains
          <input type="search" value={f.pathSearch} onChange={(e) => set({ pathSearch: e.target.value })} data-testid="filter-path" />
        </label>
        <label>
          Sort
          <select value={f.sort} onChange={(e) => set({ sort: e.target.value as JobSort })}>
            {SORTS.map((s) => (
              <option key={s.value} value={s.value}>
                {s.label}
              </option>
            ))}
          </select>
        </label>
      </form>
      <Messages busy={action.busy} error={action.error} notice={action.notice} />
      <p className="muted" data-testid="jobs-count" aria-live="polite">
        {loading ? 'Loading…' : `${num(rows.length)}${next ? '+' : ''} job${rows.length === 1 ? '' : 's'} shown`}
      </p>
      <VirtualRows
        label="Jobs"
        resetKey={JSON.stringify(f)}
        rows={rows}
        rowHeight={ROW}
        height={560}
        onNearEnd={next ? () => void loadMore() : undefined}
        header={
          <div className="vrow vhead" role="row">
            <span role="columnheader" className="c-path">File</span>
            <span role="columnheader" className="c-status">Status</span>
            <span role="columnheader" className="c-num">Size</span>
            <span role="columnheader" className="c-num">Tries</span>
            <span role="columnheader" className="c-time">Added</span>
            <span role="columnheader" className="c-act">Action</span>
          </div>
        }
        render={(row) => {
          const r = { ...row, ...live.get(row.id) };
          return (
          <>
            <span role="cell" className="c-path" title={r.errorMessage ?? r.path}>
              {r.status === 'completed' ? (
                <button type="button" className="link" onClick={() => props.onOpenDocument(r.documentId)}>
                  {r.path}
                </button>
              ) : (
                r.path
              )}
            </span>
            <span role="cell" className={`c-status st-${r.status}`} data-testid="job-status">
              {r.status}
              {r.status === 'processing' && r.progressPage ? ` p.${r.progressPage}/${r.progressPages ?? '?'}` : ''}
              {r.errorKind ? ` (${r.errorKind})` : ''}
            </span>
            <span role="cell" className="c-num">{bytes(r.fileSize)}</span>
            <span role="cell" className="c-num">
              {r.attempts}/{r.maxAttempts}
            </span>
            <span role="cell" className="c-time">{time(r.createdAt)}</span>
            <span role="cell" className="c-act">
              {r.status === 'failed' && (
                <button type="button" className="small" onClick={() => void action.run('Requeuing', () => api.requeueFailed({ jobId: r.id }), (n) => (void reload(), n ? 'Requeued 1 job.' : 'That job was no longer failed.'))}>
                  Requeue
                </button>
              )}
              {(r.status === 'pending' || r.status === 'processing') && (
                <button type="button" className="small" onClick={() => void action.run('Cancelling', () => api.cancel({ jobId: r.id }), () => (void reload(), 'Cancelled 1 job.'))}>
                  Cancel
                </button>
              )}
            </span>
          </>
          );
        }}
      />
    </section>
  );
}
