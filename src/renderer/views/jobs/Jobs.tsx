/** Every job, paged from the server and drawn virtualised: filters, sort, details, durations, row actions. */
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { JOB_SORTS, type JobListRow, type JobSort } from '../../../ipc/contract';
import { api, useAction } from '../../api/client';
import { Messages } from '../../components/Messages';
import { VirtualRows } from '../../components/VirtualRows';
import { baseName, num } from '../../format';
import { useMedia } from '../../hooks/useMedia';
import { useQueue } from '../../state/queue';
import { type JobFilters, Filters } from './Filters';
import { JobDetails } from './JobDetails';
import { JobCells, JobCellsLight, JobHeader, type RowActions } from './JobRow';
import { useJobPages } from './useJobPages';

/** Ask for the next server page this many rows before the end (one page of 500). */
const PAGE_AHEAD = 500;

const total = (s: { pending: number; processing: number; completed: number; failed: number; cancelled: number }) =>
  s.pending + s.processing + s.completed + s.failed + s.cancelled;

export function Jobs(props: { initial: URLSearchParams; onOpenDocument: (id: string) => void }) {
  const p = props.initial;
  const [f, setF] = useState<JobFilters>({
    status: p.get('status') ?? '',
    kind: p.get('kind') ?? '',
    folder: p.get('folder') ?? '',
    pathSearch: p.get('path') ?? '',
    sort: (JOB_SORTS as readonly string[]).includes(p.get('sort') ?? '') ? (p.get('sort') as JobSort) : 'created_desc',
  });
  // The filters live in the address too (replaced, not pushed), so Back from a document returns to them.
  useEffect(() => {
    const q = new URLSearchParams();
    if (f.status) q.set('status', f.status);
    if (f.kind) q.set('kind', f.kind);
    if (f.folder) q.set('folder', f.folder);
    if (f.pathSearch) q.set('path', f.pathSearch);
    if (f.sort !== 'created_desc') q.set('sort', f.sort);
    const hash = `#/jobs${q.size ? `?${q}` : ''}`;
    if (location.hash !== hash) history.replaceState(history.state, '', hash);
  }, [f]);
  const action = useAction();
  const pages = useJobPages(f, action.setError);
  const { rows, next, loading, live } = pages;
  const [selected, setSelected] = useState<string | null>(null);
  const narrow = useMedia('(max-width: 640px)');
  const short = useMedia('(max-height: 700px)');
  const { stats } = useQueue();

  // Jobs added since the list was loaded (a watched folder, another host): offer to show them.
  const loadedTotal = useRef<{ at: number; total: number } | null>(null);
  if (stats && (!loadedTotal.current || loadedTotal.current.at !== pages.loadedAt)) loadedTotal.current = { at: pages.loadedAt, total: total(stats) };
  const added = stats && loadedTotal.current ? total(stats) - loadedTotal.current.total : 0;

  const now = Date.now();
  const merged = useCallback((row: JobListRow) => ({ ...row, ...live.get(row.id) }) as JobListRow, [live]);
  // Row drawing reads the patches through a ref, so a patch redraws only its own row (see `extra`).
  const liveRef = useRef(live);
  liveRef.current = live;
  const patchOf = useCallback((row: JobListRow) => live.get(row.id), [live]);
  const actions: RowActions = useMemo(
    () => ({
      open: (r) => props.onOpenDocument(r.documentId),
      details: (r) => setSelected((s) => (s === r.id ? null : r.id)),
      requeue: (r) =>
        void action.run(`Requeuing ${baseName(r.path)}`, () => api.requeue({ jobId: r.id }), (s) => (void pages.reload(), s.requeued ? `Requeued ${baseName(r.path)}.` : `${baseName(r.path)}: ${s.message}`)),
      cancel: (r) => void action.run(`Cancelling ${baseName(r.path)}`, () => api.cancel({ jobId: r.id }), () => (void pages.reload(), `Cancelled ${baseName(r.path)}.`)),
      selected,
      busy: !!action.busy,
    }),
    [selected, action.busy, pages.reload],
  );
  const render = useCallback(
    (row: JobListRow) => <JobCells r={{ ...row, ...liveRef.current.get(row.id) }} a={actions} now={Date.now()} />,
    [actions],
  );
  const renderLight = useCallback((row: JobListRow) => <JobCellsLight r={row} />, []);
  const selectedRow = selected ? rows.find((r) => r.id === selected) : undefined;

  return (
    <section aria-labelledby="jobs-title">
      <h1 id="jobs-title">Jobs</h1>
      <Filters f={f} set={(p) => setF((old) => ({ ...old, ...p }))} />
      <Messages busy={action.busy} error={action.error} notice={action.notice} />
      <div className="row">
        <p className="muted" data-testid="jobs-count" aria-live="polite">
          {loading && rows.length === 0 ? 'Loading…' : `${num(rows.length)}${next ? '+' : ''} job${rows.length === 1 ? '' : 's'} shown`}
        </p>
        {added > 0 && <span className="badge">{num(added)} new since loaded</span>}
        {stats && stats.cancelled > 0 && (
          <button
            type="button"
            className="small"
            data-testid="requeue-cancelled"
            disabled={!!action.busy}
            onClick={() =>
              void action.run('Requeuing cancelled jobs', () => api.requeue({ statuses: ['cancelled'], ...(f.folder ? { folder: f.folder } : {}) }), (s) => (void pages.reload(), `Cancelled jobs: ${s.message}`))
            }
          >
            Requeue {f.folder ? 'cancelled in this folder' : `all ${num(stats.cancelled)} cancelled`}
          </button>
        )}
        <button type="button" className="small" onClick={() => void pages.reload()} data-testid="jobs-refresh">
          Refresh
        </button>
      </div>
      {selectedRow && (
        <JobDetails
          r={merged(selectedRow)}
          now={now}
          busy={!!action.busy}
          onClose={() => setSelected(null)}
          onOpen={() => props.onOpenDocument(selectedRow.documentId)}
          onRemove={() =>
            void action.run(`Removing ${baseName(selectedRow.path)}`, () => api.removeDocuments({ paths: [selectedRow.path] }), () => (setSelected(null), void pages.reload(), `Removed ${selectedRow.path} from Quire.`))
          }
        />
      )}
      <VirtualRows
        label="Jobs"
        className={narrow ? 'cards-mode' : undefined}
        resetKey={JSON.stringify(f)}
        rows={rows}
        rowHeight={narrow ? 112 : 48}
        // As tall as its rows, up to what fits beside the filters.
        height={Math.min(short ? 380 : 560, Math.max(3, rows.length) * (narrow ? 112 : 48))}
        extra={patchOf}
        onNearEnd={next ? () => void pages.loadMore() : undefined}
        prefetch={PAGE_AHEAD}
        header={<JobHeader />}
        render={render}
        renderLight={renderLight}
      />
    </section>
  );
}
