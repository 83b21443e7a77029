/**
 * The pool and the watcher as the API sees them (src/core/api/seams.ts), and the events they push
 * to the UI. Shared by every host that serves the API (`quire serve`, the Electron main).
 */
import type { ApiHost } from './api/host';
import type { PoolSeam, WatcherSeam } from './api/seams';
import type { WatchedFolder as ApiWatchedFolder } from '../shared/views';
import { CORES } from './config/config';
import { QuireError } from '../shared/errors';
import type { WorkerPool } from './pool/supervisor';
import type { JobStore, WatchedFolder } from './store/types';
import type { FolderStatus, WatchHandle } from './watch';
import { addWatchedFolder } from './watch';
import { resolve } from 'node:path';

export function poolSeam(pool: WorkerPool): PoolSeam {
  return {
    workers: () => pool.workers(),
    async setConcurrency(n) {
      pool.resize(Math.min(n, CORES));
    },
  };
}

/** The watcher's richer states folded into the four the UI shows; the message says the rest. */
function apiFolder(row: WatchedFolder, live: FolderStatus | undefined, enabled: boolean): ApiWatchedFolder {
  const state = live?.state ?? row.state;
  const message = live?.message ?? row.stateMessage;
  const files = live?.lastScan?.files ?? null;
  const chosen = {
    poll: row.poll,
    outputs: row.outputs,
    ...(live?.skippedOutputs ? { skippedOutputs: live.skippedOutputs } : {}),
    ...(live?.skippedFiles ? { skippedFiles: live.skippedFiles } : {}),
  };
  if (!enabled) return { path: row.path, state: 'stopped', error: null, files, ...chosen };
  switch (state) {
    case 'scanning':
      return { path: row.path, state: 'starting', error: null, files, ...chosen };
    case 'watching':
      return { path: row.path, state: 'watching', error: null, files, ...chosen };
    case 'polling':
      // Polling is chosen by the user, for a network share, or at the OS watch limit: say which.
      return { path: row.path, state: 'polling', error: message ?? null, files, ...chosen };
    case 'unavailable':
      return { path: row.path, state: 'unavailable', error: message ?? 'The folder is not there (unplugged or unmounted); watching resumes when it is back.', files, ...chosen };
    case 'error':
      return { path: row.path, state: 'error', error: message ?? 'The folder cannot be watched.', files, ...chosen };
    default:
      return { path: row.path, state: 'stopped', error: null, files, ...chosen };
  }
}

export function watcherSeam(store: JobStore, watching: WatchHandle): WatcherSeam {
  const list = async () => {
    const live = watching.status();
    const byPath = new Map(live.folders.map((f) => [f.path, f]));
    return (await store.listWatchedFolders()).map((f) => apiFolder(f, byPath.get(f.path), live.enabled));
  };
  return {
    list,
    async add(path, options = {}) {
      const { folder } = await addWatchedFolder(store, path, options);
      // Start watching now rather than at the next refresh; the rescan runs in the background.
      await watching.refresh();
      return (await list()).find((f) => f.path === folder.path) ?? apiFolder(folder, undefined, watching.status().enabled);
    },
    async remove(path) {
      const removed = await store.removeWatchedFolder(resolve(path));
      if (!removed) throw new QuireError('not_found', `${resolve(path)} is not a watched folder.`);
      await watching.refresh();
      return true;
    },
  };
}

/**
 * Pushes what the pool and the watcher see to the UI as it happens (the API host's own poller
 * catches everything else within its interval). Returns the way to disconnect.
 */
export function connectApi(api: ApiHost, pool: WorkerPool | null, watching: WatchHandle | null, watcher: WatcherSeam | undefined): () => void {
  const offs: (() => void)[] = [];
  if (pool) {
    const onProgress = (e: { workerId: string; jobId: string; path: string; page: number; pages: number }) =>
      api.emit('jobProgress', { jobId: e.jobId, path: e.path, workerId: e.workerId, page: e.page, pages: e.pages });
    const onDone = (e: { jobId: string; path: string }) => {
      api.emit('jobFinished', { jobId: e.jobId, path: e.path, status: 'completed', kind: null, message: null });
      void api.refresh().catch(() => {});
    };
    const onFail = (e: { jobId: string; path: string; kind: string; message: string; outcome: string }) => {
      api.emit('jobFinished', {
        jobId: e.jobId,
        path: e.path,
        status: e.outcome === 'failed' ? 'failed' : 'pending',
        kind: e.kind,
        message: e.message,
      });
      void api.refresh().catch(() => {});
    };
    const onStorage = (e: { ok: boolean; message: string }) => api.emit('storageStatus', { ok: e.ok, message: e.message });
    pool.on('worker-progress', onProgress);
    pool.on('job-completed', onDone);
    pool.on('job-failed', onFail);
    pool.on('storage', onStorage);
    offs.push(() => {
      pool.off('worker-progress', onProgress);
      pool.off('job-completed', onDone);
      pool.off('job-failed', onFail);
      pool.off('storage', onStorage);
    });
  }
  if (watching && watcher) {
    const onStatus = () => {
      void watcher
        .list()
        .then((folders) => api.emit('watcherStatus', { available: true, folders }))
        .catch(() => {});
    };
    watching.on('status', onStatus);
    offs.push(() => watching.off('status', onStatus));
  }
  return () => {
    for (const off of offs) off();
  };
}
