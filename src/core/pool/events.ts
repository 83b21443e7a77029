/** What the pool tells its host (which turns it into the API's events). Listeners must not throw; the pool guards anyway. */
import type { ErrorKind } from '../../shared/errors';

export interface PoolStats {
  /** Wanted worker processes (concurrency). */
  target: number;
  /** Live worker processes, including ones starting or on their way out. */
  workers: number;
  starting: number;
  idle: number;
  busy: number;
  jobsCompleted: number;
  /** Of jobsCompleted: identical files already done elsewhere, so no OCR ran. */
  jobsReused: number;
  /** Attempts that failed and will be retried. */
  jobsRetried: number;
  /** Jobs that ended failed for good. */
  jobsFailed: number;
  pagesDone: number;
  /** Worker processes that ended while the pool wanted them (crash, timeout kill, recycle). */
  restarts: number;
  /** Present while the queue database cannot be reached or written (PostgreSQL down, disk full): what is wrong. */
  storageDown?: string;
}

/** One worker process as a host shows it (structurally the API's WorkerView). */
export interface PoolWorkerView {
  id: string;
  state: 'starting' | 'idle' | 'busy' | 'stopping';
  jobId: string | null;
  path: string | null;
  page: number | null;
  pages: number | null;
  /** When the current job started (ms), null when idle. */
  since: number | null;
}

export interface PoolEvents {
  'worker-busy': [{ workerId: string; pid: number | undefined; jobId: string; path: string }];
  'worker-progress': [{ workerId: string; jobId: string; path: string; page: number; pages: number }];
  'worker-idle': [{ workerId: string; pid: number | undefined }];
  'worker-exit': [{ workerId: string; pid: number | undefined; code: number | null; signal: string | null; reason: string }];
  'job-completed': [{ jobId: string; documentId: string; path: string; pages: number; reused: boolean; ms: number }];
  'job-failed': [
    { jobId: string; documentId: string; path: string; kind: ErrorKind; message: string; outcome: 'retry' | 'failed' | 'rejected' },
  ];
  stats: [PoolStats];
  /** The queue database cannot be written (disk full, read-only) and processing waits; ok: true when it can again. */
  storage: [{ ok: boolean; message: string }];
  /**
   * Processing cannot go on, with a sentence saying why: workers cannot start (engine missing,
   * broken install; the pool keeps trying with backoff), or the database is damaged (claims stop).
   */
  fatal: [{ message: string }];
}
