/**
 * The pool and the watched folders as the API sees them (src/core/api/seams.ts). Watched folders
 * can always be listed, added and removed (they are rows in the store, picked up by whichever host
 * watches); the live watcher, when this host runs one, adds each folder's state as it sees it and
 * starts watching a new folder at once.
 */
import { resolve } from 'node:path';
import { QuireError } from '../../shared/errors';
import type { WatchedFolder as ApiWatchedFolder } from '../../shared/views';
import type { PoolSeam, WatcherSeam } from '../api/seams';
import type { Processing } from './processing';
import type { WatchedFolder, WatchStore } from '../store/types';
import type { FolderStatus, WatchHandle } from '../watch';
import { addWatchedFolder } from '../watch';

/** The pool as the API sees it; its size is the power controller's to set (concurrent_ocr_jobs capped by battery, idle, schedule). */
export function poolSeam(processing: Processing): PoolSeam {
  return {
    workers: () => processing.pool.workers(),
    async setConcurrency(n) {
      await processing.recheck({ concurrency: n });
    },
    async settingsChanged() {
      await processing.recheck();
    },
    power: () => processing.powerView(),
    runFullSpeedNow: () => processing.recheck('override'),
    endFullSpeed: () => processing.recheck('end-override'),
  };
}

/** The watcher's richer states folded into the ones the UI shows; the message says the rest. */
function apiFolder(row: WatchedFolder, live: FolderStatus | undefined, enabled: boolean): ApiWatchedFolder {
  const state = live?.state ?? row.state;
  const message = live?.message ?? row.stateMessage;
  const base = {
    path: row.path,
    files: live?.lastScan?.files ?? null,
    poll: row.poll,
    outputs: row.outputs,
    ignore: row.ignore,
    languages: row.languages,
    lastScanAt: row.lastScanAt,
    ...(live?.skippedOutputs ? { skippedOutputs: live.skippedOutputs } : {}),
    ...(live?.skippedFiles ? { skippedFiles: live.skippedFiles } : {}),
  };
  if (!enabled) return { ...base, state: 'stopped', error: null };
  switch (state) {
    case 'scanning':
      return { ...base, state: 'starting', error: null };
    case 'watching':
      return { ...base, state: 'watching', error: null };
    case 'polling':
      // Polling is chosen by the user, for a network share, or at the OS watch limit: say which.
      return { ...base, state: 'polling', error: message ?? null };
    case 'unavailable':
      return { ...base, state: 'unavailable', error: message ?? 'The folder is not there (unplugged or unmounted); watching resumes when it is back.' };
    case 'error':
      return { ...base, state: 'error', error: message ?? 'The folder cannot be watched.' };
    default:
      return { ...base, state: 'stopped', error: message ?? null };
  }
}

export function watcherSeam(store: WatchStore, watching: WatchHandle | null): WatcherSeam {
  const list = async () => {
    const live = watching?.status();
    const byPath = new Map((live?.folders ?? []).map((f) => [f.path, f]));
    // Without a watcher in this host, each folder shows the state a running host last recorded.
    return (await store.listWatchedFolders()).map((f) => apiFolder(f, byPath.get(f.path), live?.enabled ?? true));
  };
  return {
    live: watching !== null,
    list,
    async add(path, options = {}) {
      const { folder, notes } = await addWatchedFolder(store, path, options);
      // Start watching now rather than at the next refresh; the rescan runs in the background.
      await watching?.refresh();
      const view = (await list()).find((f) => f.path === folder.path) ?? apiFolder(folder, undefined, true);
      return { ...view, notes };
    },
    async remove(path) {
      const removed = await store.removeWatchedFolder(resolve(path));
      if (!removed) throw new QuireError('not_watched', `${resolve(path)} is not a watched folder.`);
      await watching?.refresh();
      return true;
    },
  };
}
