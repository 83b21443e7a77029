/**
 * The OCR worker pool of a host, built from its settings, sized by the power controller (battery,
 * idle, schedule, and concurrent_ocr_jobs as changed from the CLI, the app or another host, all
 * re-read every few seconds), and reporting what it does on the host's event route: the pool is
 * the only source of events about the jobs it runs. The other pool settings (timeout, languages,
 * recycling) are followed by pool-settings.ts. The controller's decision (how many workers,
 * and why) is written to the store for `quire stats` in other processes.
 */
import type { Quire } from '../app';
import { CORES } from '../config/config';
import type { Logger } from '../logger';
import { createPowerController, type PowerController, powerSettings, type PowerSource } from '../power';
import type { Spawner } from '../pool/spawner';
import type { PoolOptions } from '../pool/options';
import { WorkerPool } from '../pool/supervisor';
import { HOST_WORKERS_FRESH_MS } from '../../shared/stats';
import type { PowerView } from '../../shared/views';
import type { EventBus } from './bus';
import { followPoolSettings, poolSettingsOf } from './pool-settings';

export interface ProcessingOptions {
  quire: Quire;
  bus: EventBus;
  log: Logger;
  spawner: Spawner;
  workerEntry: string;
  engine: string;
  /** A fixed full-speed number of workers (--concurrency). Without it the pool follows concurrent_ocr_jobs. */
  concurrency?: number;
  /** How often settings and the power state are re-read (default 5 s). */
  configRefreshMs?: number;
  /** What the machine is doing (battery, idle, sleep). */
  power: PowerSource;
  /** This host process ("<host>/<pid>"), the key of its published worker count. */
  hostId: string;
  /** Tests: shorter timings. */
  pool?: Partial<PoolOptions>;
}

export interface Processing {
  readonly pool: WorkerPool;
  /** The power policy as this host applies it. */
  readonly power: PowerController;
  /** Decide again now and publish the result (a setting changed, or "run at full speed now" on or off); answers the decision. */
  recheck(how?: 'override' | 'end-override' | { concurrency: number }): Promise<PowerView>;
  /** The decision now. */
  powerView(): PowerView;
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

  // The worker count: the power policy over concurrent_ocr_jobs (or --concurrency), re-read every poll.
  // A host started with a fixed count takes a count set through the API (the Dashboard) as its new one.
  let fixed = o.concurrency;
  const log = o.log.scope('power');
  let published: { workersAllowed: number; fullWorkers: number; throttleReason: string | null } | null = null;
  let publishing: Promise<void> = Promise.resolve();
  let publishError: string | null = null;
  const publish = async () => {
    if (!published) return;
    try {
      await quire.store.publishHostWorkers({ hostId: o.hostId, ...published });
      publishError = null;
    } catch (err) {
      // A storage fault (locked, disk full, server away) is the pool's to say, like its own writes'.
      if (pool.health.observe(err) !== 'other') return;
      // Anything else: said once per distinct error, not every 10 s.
      if (String(err) !== publishError) log.warn('could not publish the worker count', { error: String(err) });
      publishError = String(err);
    }
  };
  const power = createPowerController({
    source: o.power,
    cores: CORES,
    pollMs: o.configRefreshMs,
    logger: o.log,
    settings: async () => {
      const c = await quire.config();
      return { power: powerSettings(c), fullWorkers: Math.min(fixed ?? c.concurrent_ocr_jobs, CORES) };
    },
    apply: async (n, reason) => {
      // Shrinking lets the running jobs finish their files first; nothing is killed to throttle.
      pool.resize(n);
      log.info('workers allowed', { workersAllowed: n, reason });
    },
    onStatus: (s) => {
      published = { workersAllowed: s.decision.workersAllowed, fullWorkers: s.decision.fullWorkers, throttleReason: s.decision.throttleReason };
      publishing = publish()
        .then(async () => bus.emit('statsChanged', await quire.store.stats()))
        .catch(() => {}); // the stats are sent again at the next change; the storage fault is said by the pool
    },
    // After a sleep the leases are renewed at once, before stale recovery can take the jobs back.
    onResume: () => pool.leases.renewNow(),
  });
  // Written again every few seconds: `quire stats` takes a row not written for 30 s as a host gone.
  const republish = setInterval(() => void publish(), HOST_WORKERS_FRESH_MS / 3);
  republish.unref();
  // "Run at full speed now" lasts for the current batch: until nothing is pending or processing.
  const maybeIdle = () => {
    if (!power.status()?.override) return;
    void quire.store
      .stats()
      .then((s) => (s.pending === 0 && s.processing === 0 ? power.queueIdle() : undefined))
      .catch(() => {});
  };
  pool.on('job-completed', maybeIdle);
  pool.on('job-failed', maybeIdle);

  // Every other pool setting, followed the same way whatever follows concurrency.
  const settings = followPoolSettings({ quire, pool, log: o.log, intervalMs: o.configRefreshMs ?? 5000, fixed: o.pool });

  // Before the pool starts, so it starts at the allowed size rather than spawning every worker and shrinking.
  await power.start();
  await pool.start();
  const powerView = (): PowerView => {
    const s = power.status();
    if (!s) {
      const n = pool.concurrency;
      return { workersAllowed: n, fullWorkers: n, throttleReason: null, override: false, overridden: null, onBattery: null, batteryPercent: null, idleSeconds: null, locked: null, unavailable: {} };
    }
    const { decision: d, snapshot: snap } = s;
    return {
      workersAllowed: d.workersAllowed,
      fullWorkers: d.fullWorkers,
      throttleReason: d.throttleReason,
      override: s.override,
      overridden: d.overridden,
      onBattery: snap.onBattery,
      batteryPercent: snap.batteryPercent,
      idleSeconds: snap.idleSeconds,
      locked: snap.locked,
      unavailable: snap.unavailable,
    };
  };
  return {
    pool,
    power,
    powerView,
    async recheck(how) {
      if (how === 'override') await power.runFullSpeedNow();
      else if (how === 'end-override') await power.endOverride();
      else {
        if (how && fixed !== undefined) fixed = how.concurrency;
        await power.check();
      }
      await publishing;
      return powerView();
    },
    async stop(graceMs) {
      settings.stop();
      power.stop();
      clearInterval(republish);
      await pool.stop(graceMs);
      await quire.store.withdrawHostWorkers(o.hostId).catch((err: unknown) => log.warn('could not withdraw the worker count', { error: String(err) }));
    },
  };
}
