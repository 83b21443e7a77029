/**
 * Where the worker pool and the watched folders plug into the API. A host without a pool says so
 * ("no worker running") instead of pretending.
 */
import type { PowerView, WatchedFolder, WatchFolderOptions, WorkerView } from '../../shared/views';

/** The in-process worker pool (src/core/pool), when this host runs one. */
export interface PoolSeam {
  workers(): WorkerView[];
  /** Apply a new concurrency now (the setting is saved by the API before this is called). */
  setConcurrency(n: number): Promise<void>;
  /** Settings changed (power, schedule): decide the worker count again now rather than at the next poll. */
  settingsChanged(): Promise<void>;
  /** The power policy's decision now. */
  power(): PowerView;
  /** "Run at full speed now": lifts battery, idle and schedule limits until the queue has nothing left to do. */
  runFullSpeedNow(): Promise<PowerView>;
  /** Ends "run at full speed now" early. */
  endFullSpeed(): Promise<PowerView>;
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
