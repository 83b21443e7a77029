/**
 * Housekeeping every queue host runs: stale recovery at start and every 5 minutes (a job whose
 * worker died goes back to the queue), cleanup of week-old completed rows at start and daily.
 * Timers are unref'd so maintenance never keeps a process alive by itself.
 */
import type { Logger } from '../logger';
import type { QueueStore } from '../store/types';
import { type LockWait, waitingOutLock } from '../store/wait-lock';

export const STALE_RECOVERY_INTERVAL_MS = 5 * 60_000;
export const CLEANUP_INTERVAL_MS = 24 * 60 * 60_000;
export const COMPLETED_RETENTION_MS = 7 * 24 * 60 * 60_000;

export interface Maintenance {
  /** Run both tasks now; hosts call this once at start, waiting out a write lock another process holds (`lock`). */
  runNow(lock?: LockWait): Promise<void>;
  /**
   * Called before each stale recovery: the host's pool renews the leases of the jobs its live
   * workers hold, so this host never takes back its own running job as stale (after the machine
   * slept, every lease looks lapsed by the wall clock until the first heartbeat).
   */
  renewFirst(hook: () => Promise<void>): void;
  stop(): void;
}

export interface MaintenanceOptions {
  store: Pick<QueueStore, 'recoverStale' | 'cleanup'>;
  leaseMs: number;
  logger: Logger;
  staleIntervalMs?: number;
  cleanupIntervalMs?: number;
}

export function startMaintenance(opts: MaintenanceOptions): Maintenance {
  const log = opts.logger.scope('maintenance');
  let renewFirst: (() => Promise<void>) | null = null;
  const recover = async (lock?: LockWait) => {
    try {
      await renewFirst?.().catch((err: unknown) => log.warn('could not renew our leases before stale recovery', { error: String(err) }));
      const recoverStale = () => opts.store.recoverStale(opts.leaseMs);
      const r = await (lock ? waitingOutLock(recoverStale, lock) : recoverStale());
      if (r.requeued || r.failed) log.warn('recovered stale jobs', { ...r });
    } catch (err) {
      log.error('stale recovery failed', { error: (err as Error).message });
    }
  };
  const clean = async () => {
    try {
      const n = await opts.store.cleanup(COMPLETED_RETENTION_MS);
      if (n) log.info('cleaned up completed jobs', { deleted: n });
    } catch (err) {
      log.error('cleanup failed', { error: (err as Error).message });
    }
  };
  const staleTimer = setInterval(() => void recover(), opts.staleIntervalMs ?? STALE_RECOVERY_INTERVAL_MS);
  const cleanTimer = setInterval(() => void clean(), opts.cleanupIntervalMs ?? CLEANUP_INTERVAL_MS);
  staleTimer.unref();
  cleanTimer.unref();
  const runNow = async (lock?: LockWait) => {
    await recover(lock);
    await clean();
  };
  return {
    runNow,
    renewFirst(hook) {
      renewFirst = hook;
    },
    stop() {
      clearInterval(staleTimer);
      clearInterval(cleanTimer);
    },
  };
}
