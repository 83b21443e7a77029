/**
 * The rows of the Jobs list: pages from the server (keyset cursors), live patches from events
 * kept beside them (merging into a million rows per event would stall scrolling), and rows that
 * no longer match a status filter taken out, a few at a time.
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import type { ErrorKind, JobListRow, JobStatus } from '../../../ipc/contract';
import { api, useEvent } from '../../api/client';
import type { JobFilters } from './Filters';

const PAGE = 500;
const FLUSH_MS = 250;

export function useJobPages(f: JobFilters, onError: (m: string | null) => void) {
  const [rows, setRows] = useState<JobListRow[]>([]);
  const [next, setNext] = useState<string | null>(null);
  const [loading, setLoading] = useState(false);
  const [loadedAt, setLoadedAt] = useState(0);
  const [live, setLive] = useState<ReadonlyMap<string, Partial<JobListRow>>>(new Map());
  const generation = useRef(0);
  const pending = useRef(new Map<string, Partial<JobListRow>>());
  const leaving = useRef(new Set<string>());
  const flushTimer = useRef<ReturnType<typeof setTimeout>>(undefined);

  const query = useCallback(
    (after?: string) =>
      api.listJobs({
        status: (f.status || undefined) as JobStatus | undefined,
        kind: (f.kind || undefined) as ErrorKind | undefined,
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
    if (!r.ok) return onError(r.error.message);
    onError(null);
    setRows(r.value.rows);
    setNext(r.value.next);
    setLive(new Map());
    pending.current = new Map();
    leaving.current = new Set();
    setLoadedAt(Date.now());
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
    if (!r.ok) return onError(r.error.message);
    setRows((old) => old.concat(r.value.rows));
    setNext(r.value.next);
  }, [next, loading, query]);

  // Events come in bursts (a pool failing missing files sends hundreds a second): they are
  // gathered and applied at most every FLUSH_MS, one redraw for the lot. A row whose new status
  // is outside the status filter leaves the list then.
  const patch = (id: string, p: Partial<JobListRow>) => {
    pending.current.set(id, { ...pending.current.get(id), ...p });
    if (f.status && p.status && p.status !== f.status) leaving.current.add(id);
    flushTimer.current ??= setTimeout(() => {
      flushTimer.current = undefined;
      const batch = pending.current;
      const gone = leaving.current;
      pending.current = new Map();
      leaving.current = new Set();
      setLive((old) => {
        const next = new Map(old);
        for (const [k, v] of batch) next.set(k, { ...old.get(k), ...v });
        return next;
      });
      if (gone.size) setRows((old) => old.filter((r) => !gone.has(r.id)));
    }, FLUSH_MS);
  };
  useEvent('jobFinished', (e) =>
    patch(e.jobId, { status: e.status, errorKind: e.kind, errorMessage: e.message, ...(e.status === 'completed' ? { completedAt: Date.now() } : {}) }),
  );
  useEvent('jobProgress', (e) => patch(e.jobId, { status: 'processing', progressPage: e.page, progressPages: e.pages, workerId: e.workerId }));
  useEffect(() => () => clearTimeout(flushTimer.current), []);

  return { rows, next, loading, live, loadedAt, reload, loadMore };
}
