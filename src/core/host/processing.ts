/**
 * The OCR worker pool of a host, built from its settings, following concurrent_ocr_jobs while it
 * runs (from the CLI, the app, or another host), and reporting what it does on the host's event
 * route: the pool is the only source of events about the jobs it runs.
 */
import type { Quire } from '../app';
import { CORES } from '../config/config';
import { pathMapper } from '../config/path-mappings';
import type { Logger } from '../logger';
import type { Spawner } from '../pool/spawner';
import type { PoolOptions } from '../pool/options';
import { WorkerPool } from '../pool/supervisor';
import type { EventBus } from './bus';
import { engineOptionsOf } from './engine-options';

export interface ProcessingOptions {
  quire: Quire;
  bus: EventBus;
  log: Logger;
  spawner: Spawner;
  workerEntry: string;
  engine: string;
  /** A fixed number of workers (--concurrency). Without it the pool follows concurrent_ocr_jobs. */
  concurrency?: number;
  /** How often settings are re-read (default 5 s). */
  configRefreshMs?: number;
  /** Tests: shorter timings. */
  pool?: Partial<PoolOptions>;
}

export interface Processing {
  readonly pool: WorkerPool;
  stop(graceMs: number): Promise<void>;
}

export async function startProcessing(o: ProcessingOptions): Promise<Processing> {
  const { quire, bus } = o;
  const config = await quire.config();
  const pool = new WorkerPool({
    store: quire.store,
    spawner: o.spawner,
    workerEntry: o.workerEntry,
    engine: o.engine,
    engineOptions: engineOptionsOf(quire, config),
    concurrency: Math.min(o.concurrency ?? config.concurrent_ocr_jobs, CORES),
    timeoutMs: config.ocr_timeout_seconds * 1000,
    leaseMs: config.lease_timeout_seconds * 1000,
    recycleAfterJobs: config.worker_recycle_jobs,
    recycleRssBytes: config.worker_max_rss_mb * 1024 * 1024,
    logger: o.log,
    mapPath: pathMapper(config.path_mappings),
    ...o.pool,
  });

  pool.on('worker-progress', (e) => bus.emit('jobProgress', { jobId: e.jobId, path: e.path, workerId: e.workerId, page: e.page, pages: e.pages }));
  pool.on('job-completed', (e) =>
    bus.emit('jobFinished', { jobId: e.jobId, path: e.path, status: 'completed', kind: null, message: null, pages: e.pages, reused: e.reused }),
  );
  pool.on('job-failed', (e) => {
    // 'rejected': the job was no longer this worker's (cancelled, taken back): whoever changed it reports it.
    if (e.outcome === 'rejected') return;
    bus.emit('jobFinished', { jobId: e.jobId, path: e.path, status: e.outcome === 'failed' ? 'failed' : 'pending', kind: e.kind, message: e.message });
  });
  pool.on('storage', (e) => bus.emit('storageStatus', e));
  pool.on('fatal', (e) => bus.emit('fatal', e));

  let follow: NodeJS.Timeout | undefined;
  if (o.concurrency === undefined) {
    const tick = async () => {
      const want = Math.min((await quire.config()).concurrent_ocr_jobs, CORES);
      if (want !== pool.concurrency) pool.resize(want);
    };
    follow = setInterval(() => void tick().catch((err: unknown) => o.log.warn('could not re-read settings', { error: String(err) })), o.configRefreshMs ?? 5000);
    follow.unref();
  }

  await pool.start();
  return {
    pool,
    async stop(graceMs) {
      clearInterval(follow);
      await pool.stop(graceMs);
    },
  };
}
