/**
 * The pool settings a host takes from its Quire's settings, at start and while it runs: the page
 * time limit, the recycling limits, path mappings and the engine options. Settings are saved in the
 * database by any process (`quire config set`, the app, another host), and SQLite tells no other
 * process, so a running host re-reads them every few seconds, as it does concurrent_ocr_jobs
 * (processing.ts), and hands the pool what changed; the pool applies each without killing a file.
 */
import type { Quire } from '../app';
import type { Config } from '../config/config';
import { pathMapper } from '../config/path-mappings';
import type { Logger } from '../logger';
import type { LiveSettings, PoolOptions } from '../pool/options';
import type { WorkerPool } from '../pool/supervisor';
import { engineOptionsOf } from './engine-options';

/** The memory limit during a job is left to the pool: twice recycleRssBytes (see PoolOptions.maxJobRssBytes). */
type FromSettings = Required<Omit<LiveSettings, 'maxJobRssBytes'>>;

export function poolSettingsOf(quire: Quire, config: Config): FromSettings {
  return {
    timeoutMs: config.ocr_timeout_seconds * 1000,
    recycleAfterJobs: config.worker_recycle_jobs,
    recycleRssBytes: config.worker_max_rss_mb * 1024 * 1024,
    engineOptions: engineOptionsOf(quire, config),
    mapPath: pathMapper(config.path_mappings),
  };
}

/** Without the keys a test fixed (tuning.pool): those stay as the test set them. */
function withoutFixed(s: FromSettings, fixed: Partial<PoolOptions> | undefined): LiveSettings {
  if (!fixed) return s;
  return Object.fromEntries(Object.entries(s).filter(([k]) => (fixed as Record<string, unknown>)[k] === undefined)) as LiveSettings;
}

export interface SettingsFollower {
  /** Re-read the settings now (also what the timer calls). */
  tick(): Promise<void>;
  stop(): void;
}

export function followPoolSettings(o: { quire: Quire; pool: WorkerPool; log: Logger; intervalMs: number; fixed?: Partial<PoolOptions> }): SettingsFollower {
  let lastPaths = '';
  const tick = async () => {
    const config = await o.quire.config();
    const next = withoutFixed(poolSettingsOf(o.quire, config), o.fixed);
    // mapPath is a function: hand it over only when the mappings changed.
    if (config.path_mappings === lastPaths) delete next.mapPath;
    lastPaths = config.path_mappings;
    o.pool.applySettings(next);
  };
  let running: Promise<void> | null = null;
  const guarded = () =>
    (running ??= tick()
      .catch((err: unknown) => o.log.warn('could not re-read settings', { error: String(err) }))
      .finally(() => {
        running = null;
      }));
  const timer = setInterval(() => void guarded(), o.intervalMs);
  timer.unref();
  return { tick: guarded, stop: () => clearInterval(timer) };
}
