/** What a folder watcher reports and needs: its status, timings, and dependencies. */
import type { ChokidarOptions, FSWatcher } from 'chokidar';
import type { Logger } from '../logger';
import type { JobStore, WatchedFolderState } from '../store/types';
import type { ReconcileReport } from './reconcile';
import type { SkippedList } from './skipped';
import type { FileSync } from './sync';

export type WatchMode = 'native' | 'polling';

export interface FolderStatus {
  path: string;
  state: WatchedFolderState;
  message: string | null;
  mode: WatchMode;
  /** Files and folders chokidar tracks (one inotify watch each in native mode on Linux). */
  watchedPaths: number;
  lastScan: ReconcileReport | null;
  /** Outputs this host could not write for the folder's files (set by the watch host, not here). */
  skippedOutputs?: SkippedList;
  /** Files under the folder that could not be queued (a name that is not UTF-8, a broken link...). */
  skippedFiles?: SkippedList;
}

export interface WatchTiming {
  /** chokidar awaitWriteFinish: a file's size must hold this long before it counts as written. */
  stabilityThresholdMs: number;
  /** How often awaitWriteFinish re-stats a growing file; also the size+mtime re-check gap. */
  writePollMs: number;
  /** Stat interval in polling mode (network shares, huge trees). */
  pollingIntervalMs: number;
  /** How often a watched folder's root is checked, and an unavailable one looked for. */
  availabilityCheckMs: number;
  /** Deletions are settled after this quiet time, so an unlink+add pair (a rename) is seen whole. */
  deleteSettleMs: number;
}

export type WatcherFactory = (path: string, options: ChokidarOptions) => FSWatcher;

export interface FolderWatcherDeps {
  store: JobStore;
  sync: FileSync;
  logger: Logger;
  timing: WatchTiming;
  maxConcurrentIo: number;
  excludedDirs: readonly string[];
  createWatcher: WatcherFactory;
  networkFsType: (path: string) => string | null;
  onStatus: (s: FolderStatus) => void;
  /** A file under the folder that cannot be queued, with why (reported once per file and scan). */
  onSkipped?: (path: string, reason: string) => void;
}
