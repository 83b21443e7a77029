/**
 * Worker ids say which host process holds a job: "<host>/<host pid>/<n>". That lets a restarted
 * host recover jobs its own dead predecessor held on this machine at once (its pid is gone),
 * instead of waiting a whole lease for stale recovery. A pid that is still alive (or was reused by
 * another program) is left alone, so the check can only err towards waiting.
 *
 * "This machine" must mean the same pid space, not the same hostname: two containers sharing a
 * hostname and a database each have their own pids, and one took the other's live host (pid 7
 * there, no such process here) for a dead predecessor and released its running job. So <host> is
 * "<hostname>@<boot id>.<pid namespace>" on Linux: the kernel's boot id (new at every boot) and
 * the inode of /proc/self/ns/pid (one per pid namespace). A pid is only ever judged dead when
 * its holder's key equals ours. Where the key cannot be read, each process gets a random one:
 * nothing is judged dead, and jobs wait for their lease. Ids without a key (older versions) are
 * never released early either.
 */
import { randomBytes } from 'node:crypto';
import { readFileSync, readlinkSync } from 'node:fs';
import { hostname } from 'node:os';
import type { Logger } from '../logger';
import type { QueueStore } from '../store/types';

export interface HostIdentity {
  /** "<hostname>@<machine key>": equal only for processes that share one pid space. */
  host: string;
  pid: number;
}

/** Where the identity is read from (injectable for tests). */
export interface HostFacts {
  hostname(): string;
  /** The kernel's boot id (/proc/sys/kernel/random/boot_id); throws where there is none. */
  bootId(): string;
  /** The pid namespace (the target of /proc/self/ns/pid, e.g. "pid:[4026531836]"); throws where there is none. */
  pidNamespace(): string;
}

export const systemHostFacts: HostFacts = {
  hostname,
  bootId: () => readFileSync('/proc/sys/kernel/random/boot_id', 'latin1').trim(),
  pidNamespace: () => readlinkSync('/proc/self/ns/pid'),
};

/** One random key per process, for systems without the facts: never equal to another process's. */
let ownKey: string | undefined;

/** The key naming this pid space: boot id and pid namespace, or this process's random key. */
export function machineKey(facts: HostFacts = systemHostFacts): string {
  try {
    const boot = facts.bootId().replace(/[^0-9a-f]/gi, '').slice(0, 16);
    const ns = /(\d+)/.exec(facts.pidNamespace())?.[1];
    if (boot && ns) return `${boot}.${ns}`;
  } catch {
    // no /proc (macOS, Windows) or not readable: below
  }
  ownKey ??= `proc-${randomBytes(8).toString('hex')}`;
  return ownKey;
}

export function currentHost(facts: HostFacts = systemHostFacts, pid = process.pid): HostIdentity {
  // '/' separates the worker id's fields and '@' the key: neither may appear in the name.
  return { host: `${facts.hostname().replace(/[/@]/g, '_')}@${machineKey(facts)}`, pid };
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

/** Whether `owner`'s pid means the same process here: same hostname, boot and pid namespace. */
export function sharesPidSpace(owner: HostIdentity, self: HostIdentity): boolean {
  return owner.host === self.host && owner.host.includes('@');
}

/**
 * Release (without counting the attempt: the file did not cause it) every processing job held by
 * a dead host process in this pid space. Returns how many.
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
    if (!owner || !sharesPidSpace(owner, self) || owner.pid === self.pid || isAlive(owner.pid)) continue;
    if (await store.release(job.jobId, job.workerId!)) {
      released++;
      logger.warn('released a job held by a dead Quire process on this machine', { jobId: job.jobId, path: job.path, workerId: job.workerId });
    }
  }
  return released;
}
