/**
 * Where the worker pool and the folder watcher plug into the API. Each host passes them to
 * createHandlers when it runs them; when absent the API says so ("no worker running", "folder
 * watching is not running") instead of pretending.
 */
import type { WatchedFolder, WatchFolderOptions, WorkerView } from '../../shared/views';

/** The in-process worker pool (src/core/pool), when this host runs one. */
export interface PoolSeam {
  workers(): WorkerView[];
  /** Apply a new concurrency now (the setting is saved by the API before this is called). */
  setConcurrency(n: number): Promise<void>;
}

/** The folder watcher (src/core/watch), when this host runs one. */
export interface WatcherSeam {
  list(): Promise<WatchedFolder[]>;
  add(path: string, options?: WatchFolderOptions): Promise<WatchedFolder>;
  remove(path: string): Promise<boolean>;
}
