/**
 * Where the worker pool and the folder watcher plug into the API (they are built on other
 * branches). Each host passes them to createHandlers when it runs them; when absent the API
 * says so ("no worker running", "folder watching is not running") instead of pretending.
 */
export interface WorkerView {
  id: string;
  state: 'starting' | 'idle' | 'busy' | 'stopping';
  jobId: string | null;
  path: string | null;
  page: number | null;
  pages: number | null;
  /** When the current job started (ms), null when idle. */
  since: number | null;
}

/** SEAM(pool): the in-process worker pool (src/core/pool), when this host runs one. */
export interface PoolSeam {
  workers(): WorkerView[];
  /** Apply a new concurrency now (the setting is saved by the API before this is called). */
  setConcurrency(n: number): Promise<void>;
}

export interface WatchedFolder {
  path: string;
  state: 'starting' | 'watching' | 'polling' | 'unavailable' | 'error' | 'stopped';
  /** A sentence saying why, when polling (network share, watch limit), unavailable or in error. */
  error: string | null;
  /** Files seen under the folder, when known. */
  files: number | null;
  /** What the user chose when adding it (absent in hosts that do not report it). */
  poll?: boolean;
  outputs?: { txt: boolean; pdf: boolean; dir: string | null };
}

/** Choices when adding a watched folder: polling, and outputs written when each file is done. */
export interface WatchFolderOptions {
  poll?: boolean;
  txt?: boolean;
  pdf?: boolean;
  /** Absolute folder for the outputs (mirroring the tree); default: next to each source. */
  outputDir?: string;
}

/** SEAM(watcher): the folder watcher (src/core/watch), when this host runs one. */
export interface WatcherSeam {
  list(): Promise<WatchedFolder[]>;
  add(path: string, options?: WatchFolderOptions): Promise<WatchedFolder>;
  remove(path: string): Promise<boolean>;
}

/** A setting as the settings screen shows it (config.ts ResolvedSetting fits). */
export interface SettingView {
  key: string;
  value: number | boolean | string | string[];
  source: 'default' | 'setting' | 'env';
  persisted: boolean;
  env: string;
  description: string;
  accepts: string;
}

export interface IngestSummary {
  seen: number;
  enqueued: number;
  unchanged: number;
  alreadyQueued: number;
  unsupported: number;
  unreadable: number;
  unreadableFiles: { path: string; reason: string }[];
}

export interface PageImage {
  mime: string;
  /** base64 of the image bytes, so the same value crosses IPC and HTTP. */
  base64: string;
  width: number;
  height: number;
}
