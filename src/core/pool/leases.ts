/**
 * The leases a pool holds on its running jobs: renewed on a timer, given up when lost (the job
 * was cancelled or taken back), and, after a lost connection, claims that committed without their
 * reply reaching us are given back at once instead of after a whole lease.
 */
import type { Logger } from '../logger';
import type { QueueStore } from '../store/types';
import type { HostIdentity } from './host-id';
import { parseWorkerId } from './host-id';
import type { StorageHealth } from './storage-health';

/** A running job as the lease keeper sees it. */
export interface HeldJob {
  jobId: string;
  workerId: string;
  /** Still running in this pool (not finished or settling meanwhile). */
  current(): boolean;
  /** The lease is gone: stop the work. */
  lost(): void;
}

export class Leases {
  private timer?: NodeJS.Timeout;
  private held: () => HeldJob[] = () => [];

  constructor(
    private readonly store: Pick<QueueStore, 'heartbeat' | 'reclaim' | 'listProcessing' | 'release'>,
    private readonly health: StorageHealth,
    private readonly log: Logger,
    private readonly host: HostIdentity,
  ) {}

  /** Renew every `intervalMs` the leases of the jobs `held()` lists. */
  start(intervalMs: number, held: () => HeldJob[]): void {
    this.held = held;
    this.timer = setInterval(() => void this.renew(held()), intervalMs);
  }

  /** Renew every running job's lease now, not at the next interval (the machine just woke from sleep). */
  async renewNow(): Promise<void> {
    await this.renew(this.held());
  }

  stop(): void {
    clearInterval(this.timer);
  }

  async renew(jobs: HeldJob[]): Promise<void> {
    for (const job of jobs) {
      try {
        let held = await this.store.heartbeat(job.jobId, job.workerId);
        this.health.ok();
        // The lease lapsed (the machine slept, the host stalled) and stale recovery requeued the
        // job while the worker kept reading it: take it back rather than read it again.
        if (!held && job.current() && (held = await this.store.reclaim(job.jobId, job.workerId))) {
          this.log.info('took back a job whose lease lapsed while it ran (the machine slept?)', { jobId: job.jobId });
        }
        if (!held && job.current()) {
          this.log.warn('lost the lease on a running job; stopping its worker', { jobId: job.jobId });
          job.lost();
        }
      } catch (err) {
        this.log.warn('heartbeat failed', { error: (err as Error).message });
        // A host whose workers are all busy claims nothing: its heartbeats are what notice a lost server.
        this.health.observe(err);
      }
    }
  }

  /**
   * After a lost connection: a claim that committed but whose reply never arrived left a job
   * processing under one of our worker ids that no worker runs. Give such jobs back at once. A
   * claim racing with this can at worst be handed back and run again later: complete() then
   * answers false, so nothing is completed twice.
   */
  async releaseOrphans(running: () => ReadonlySet<string>): Promise<void> {
    try {
      for (const job of await this.store.listProcessing()) {
        const owner = job.workerId ? parseWorkerId(job.workerId) : null;
        if (!owner || owner.host !== this.host.host || owner.pid !== this.host.pid) continue;
        if (running().has(job.jobId)) continue;
        if (await this.store.release(job.jobId, job.workerId!)) {
          this.log.warn('released a job whose claim was cut off by the lost connection', { jobId: job.jobId, path: job.path });
        }
      }
    } catch (err) {
      this.log.warn('could not check for jobs orphaned by the lost connection', { error: (err as Error).message });
    }
  }
}
