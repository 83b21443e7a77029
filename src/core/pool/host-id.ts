/**
 * Worker ids say which host process holds a job: "<hostname>/<host pid>/<n>". That lets a
 * restarted host recover jobs its own dead predecessor held on this machine at once (its pid is
 * gone), instead of waiting a whole lease for stale recovery. A pid that is still alive (or was
 * reused by another program) is left alone, so the check can only err towards waiting.
 */
import { hostname } from 'node:os';
import type { Logger } from '../logger';
import type { QueueStore } from '../store/types';

export interface HostIdentity {
  host: string;
  pid: number;
}

export function currentHost(): HostIdentity {
  return { host: hostname(), pid: process.pid };
}

export function workerIdFor(h: HostIdentity, n: number): string {
  return `${h.host}/${h.pid}/${n}`;
}

export function parseWorkerId(id: string): HostIdentity | null {
  const m = /^(.+)\/(\d+)\/\d+$/.exec(id);
  return m ? { host: m[1]!, pid: Number(m[2]) } : null;
}

export function isPidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    // EPERM: it exists but belongs to someone else.
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Release (without counting the attempt: the file did not cause it) every processing job held by
 * a dead host process on this machine. Returns how many.
 */
export async function releaseJobsOfDeadLocalHosts(
  store: Pick<QueueStore, 'listProcessing' | 'release'>,
  self: HostIdentity,
  logger: Logger,
  isAlive: (pid: number) => boolean = isPidAlive,
): Promise<number> {
  let released = 0;
  for (const job of await store.listProcessing()) {
    const owner = job.workerId ? parseWorkerId(job.workerId) : null;
    if (!owner || owner.host !== self.host || owner.pid === self.pid || isAlive(owner.pid)) continue;
    if (await store.release(job.jobId, job.workerId!)) {
      released++;
      logger.warn('released a job held by a dead Quire process on this machine', { jobId: job.jobId, path: job.path, workerId: job.workerId });
    }
  }
  return released;
}
