/** A pool's options and their defaults. */
import type { Logger } from '../logger';
import type { OcrEngineOptions } from '../ocr/types';
import type { QueueStore } from '../store/types';
import type { HostIdentity } from './host-id';
import type { Spawner } from './spawner';

/** Used only when a pool is built without config; hosts pass worker_recycle_jobs / worker_max_rss_mb (measured defaults). */
export const DEFAULT_RECYCLE_AFTER_JOBS = 250;
export const DEFAULT_RECYCLE_RSS_MB = 1200;

export interface PoolOptions {
  store: QueueStore;
  spawner: Spawner;
  /** The worker entry file (the built worker, or a test entry). */
  workerEntry: string;
  engine: string;
  engineOptions: OcrEngineOptions;
  concurrency: number;
  timeoutMs: number;
  leaseMs: number;
  /** Lease renewal for running jobs; default a quarter of the lease, at most 15 s. */
  heartbeatMs?: number;
  recycleAfterJobs?: number;
  recycleRssBytes?: number;
  /**
   * Hard limit while a job runs: a worker whose RSS passes it is killed and the job fails as
   * out_of_memory (retried per max_attempts). Default twice recycleRssBytes, so a big but bounded
   * page is not killed where the after-job recycle would do.
   */
  maxJobRssBytes?: number;
  /** Between SIGTERM and SIGKILL, and for a worker asked to exit. */
  killGraceMs?: number;
  /** How often an idle pool looks for claimable jobs (other processes enqueue, backoffs end). */
  idlePollMs?: number;
  /** Engine start limit; a worker that takes longer is killed and replaced. */
  initTimeoutMs?: number;
  /** While the database cannot be written (disk full, read-only), how often to retry. */
  storageRetryMs?: number;
  /** Consecutive worker start failures before `fatal` is emitted (the pool keeps trying). */
  fatalAfterInitFailures?: number;
  logger?: Logger;
  host?: HostIdentity;
  /** This machine's path for a job's recorded path (setting path_mappings); default: as recorded. */
  mapPath?: (path: string) => string;
}

/**
 * What a running pool takes without a restart (the host re-reads its settings and passes them):
 * the page time limit applies to the pages being read now, the rest from the next file.
 */
export type LiveSettings = Partial<Pick<PoolOptions, 'timeoutMs' | 'recycleAfterJobs' | 'recycleRssBytes' | 'maxJobRssBytes' | 'engineOptions' | 'mapPath'>>;

export type ResolvedPoolOptions = Required<Omit<PoolOptions, 'logger' | 'host'>>;

export function resolvePoolOptions(opts: PoolOptions): ResolvedPoolOptions {
  const o = {
    heartbeatMs: Math.min(15_000, Math.max(100, Math.floor(opts.leaseMs / 4))),
    recycleAfterJobs: DEFAULT_RECYCLE_AFTER_JOBS,
    recycleRssBytes: DEFAULT_RECYCLE_RSS_MB * 1024 * 1024,
    killGraceMs: 2000,
    idlePollMs: 1000,
    initTimeoutMs: 60_000,
    fatalAfterInitFailures: 3,
    storageRetryMs: 2000,
    mapPath: (p: string) => p,
    ...stripUndefined(opts),
  } as ResolvedPoolOptions;
  if (opts.maxJobRssBytes === undefined) o.maxJobRssBytes = 2 * o.recycleRssBytes;
  return o;
}

function stripUndefined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}
