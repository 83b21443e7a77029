/**
 * The OCR worker pool of a host, built from its settings, following concurrent_ocr_jobs and the
 * other pool settings (pool-settings.ts) while it runs (changed from the CLI, the app, or another
 * host), and reporting what it does on the host's event route: the pool is the only source of
 * events about the jobs it runs.
 */
import type { Quire } from '../app';
import { CORES } from '../config/config';
import type { Logger } from '../logger';
import type { Spawner } from '../pool/spawner';
import type { PoolOptions } from '../pool/options';
import { WorkerPool } from '../pool/supervisor';
import type { EventBus } from './bus';
import { followPoolSettings, poolSettingsOf } from './pool-settings';

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
    concurrency: Math.min(o.concurrency ?? config.concurrent_ocr_jobs, CORES),
    leaseMs: config.lease_timeout_seconds * 1000,
    ...poolSettingsOf(quire, config),
    logger: o.log,
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

  // Every other pool setting, followed the same way whatever follows concurrency.
  const settings = followPoolSettings({ quire, pool, log: o.log, intervalMs: o.configRefreshMs ?? 5000, fixed: o.pool });

  await pool.start();
  return {
    pool,
    async stop(graceMs) {
      clearInterval(follow);
      settings.stop();
      await pool.stop(graceMs);
    },
  };
}
