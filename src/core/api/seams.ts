/**
 * Where the worker pool and the watched folders plug into the API. A host without a pool says so
 * ("no worker running") instead of pretending.
 */
import type { WatchedFolder, WatchFolderOptions, WorkerView } from '../../shared/views';

/** The in-process worker pool (src/core/pool), when this host runs one. */
export interface PoolSeam {
  workers(): WorkerView[];
  /** Apply a new concurrency now (the setting is saved by the API before this is called). */
  setConcurrency(n: number): Promise<void>;
}

/**
 * Watched folders: always listable and changeable (rows in the store); `live` when this host also
 * runs the folder watcher, whose view of each folder the list then shows.
 */
export interface WatcherSeam {
  readonly live: boolean;
  list(): Promise<WatchedFolder[]>;
  /** Refuses a missing folder, one already covered, a bad pattern, with a sentence. */
  add(path: string, options?: WatchFolderOptions): Promise<WatchedFolder & { notes: string[] }>;
  remove(path: string): Promise<boolean>;
}
