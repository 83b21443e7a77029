/**
 * The pool supervisor: keeps `concurrency` OCR worker processes, claims a job only when a worker
 * is free to start it, dispatches it, and turns what the worker answers into the job's end. It is
 * the only party that talks to the store (workers need no database).
 *
 * Collaborators, one job each: WorkerSlot (one process's life), StorageHealth (faults of the
 * storage and their messages), Settler (writing results and failures through those faults),
 * Leases (heartbeats, orphaned claims). What stays here: the claim pump, dispatch, and the rules
 * for how a job ends: a result completes it; an engine error fails it with its kind; a hang past
 * the timeout kills and replaces the process and fails the job as `timeout`; a process that dies
 * mid-job is replaced and its job fails as `worker_crashed`. The timeout is a budget per page (PageBudget). Transient kinds retry with the
 * store's backoff, so a poison file ends failed after max_attempts while the pool keeps its size.
 * On stop, running jobs get a grace period and the rest go back to pending without counting.
 */
import { EventEmitter } from 'node:events';
import type { OcrResult } from '../../shared/results';
import type { Logger } from '../logger';
import { silentLogger } from '../logger';
import type { ClaimedJob } from '../store/types';
import type { PoolEvents, PoolStats, PoolWorkerView } from './events';
import { currentHost, type HostIdentity, releaseJobsOfDeadLocalHosts } from './host-id';
import { Leases } from './leases';
import { type LiveSettings, type PoolOptions, resolvePoolOptions, type ResolvedPoolOptions } from './options';
import { failureForExit, Outcomes } from './outcomes';
import { MEMORY_LIMIT_SIGNAL, type WorkerMessage } from './protocol';
import { Settler } from './settle';
import { Fleet } from './fleet';
import type { WorkerSlot } from './slot';
import { StorageHealth } from './storage-health';
import { Waiters } from './waiters';
import { PageBudget } from './page-budget';
import { applyLiveSettings, currentSettings, type CurrentSettings } from './live-settings';
import { type RunningJob, workerViews } from './running';


export class WorkerPool extends EventEmitter<PoolEvents> {
  private readonly o: ResolvedPoolOptions;
  private readonly log: Logger;
  private readonly host: HostIdentity;
  private readonly jobs = new Map<WorkerSlot, RunningJob>();
  readonly health: StorageHealth; // what the host's other writes (the published worker count) report a fault to
  private readonly outcomes: Outcomes;
  readonly leases: Leases; // the host renews them at once after a sleep (leases.renewNow())
  private readonly fleet: Fleet;
  private seq = 0;
  private started = false;
  private stopping = false;
  private pumping = false;
  private pumpAgain = false;
  private pollTimer?: NodeJS.Timeout;
  private cutGrace?: () => void;
  private readonly waiters = new Waiters();
  private readonly jobRssFollowsRecycle: boolean;

  constructor(opts: PoolOptions) {
    super();
    this.o = resolvePoolOptions(opts);
    this.jobRssFollowsRecycle = opts.maxJobRssBytes === undefined;
    this.log = (opts.logger ?? silentLogger).scope('pool');
    this.host = opts.host ?? currentHost();
    this.fleet = new Fleet(
      { ...this.o, host: this.host, log: this.log },
      {
        ready: (s) => this.guard(() => this.onReady(s)),
        message: (s, m) => this.guard(() => this.onMessage(s, m)),
        exit: (s, code, signal) => this.guard(() => this.onExit(s, code, signal)),
        fatal: (message) => this.safeEmit('fatal', { message }),
        changed: () => this.emitStats(),
      },
      opts.concurrency,
    );
    this.health = new StorageHealth(this.o.storageRetryMs, this.log, {
      storage: (e) => {
        this.safeEmit('storage', e);
        this.emitStats();
      },
      fatal: (e) => {
        clearTimeout(this.pollTimer);
        this.pollTimer = undefined;
        this.safeEmit('fatal', e);
      },
      recovered: (kind) => {
        if (kind === 'unavailable') void this.leases.releaseOrphans(() => this.runningJobIds());
      },
    });
    this.outcomes = new Outcomes(new Settler(this.o.store, this.health, this.log, () => this.stopping), this.log, (event, ...args) =>
      this.safeEmit(event, ...args),
    );
    this.leases = new Leases(this.o.store, this.health, this.log, this.host);
  }

  /** Recover jobs a dead predecessor on this machine held, then start the workers. */
  async start(): Promise<void> {
    if (this.started) return;
    this.started = true;
    try {
      const n = await releaseJobsOfDeadLocalHosts(this.o.store, this.host, this.log);
      if (n) this.log.info('released jobs of a dead predecessor', { released: n });
    } catch (err) {
      this.log.error('could not check for jobs of dead processes', { error: (err as Error).message });
    }
    this.leases.start(this.o.heartbeatMs, () =>
      [...this.jobs].filter(([s]) => s.state === 'busy').map(([slot, job]) => ({
        jobId: job.claimed.jobId,
        workerId: slot.workerId,
        current: () => this.jobs.get(slot) === job && !job.settling,
        lost: () => slot.kill('lost'),
      })),
    );
    this.fleet.reconcile();
  }

  get concurrency(): number {
    return this.fleet.target;
  }

  /** Change the number of workers now. Shrinking lets running jobs finish first. */
  resize(concurrency: number): void {
    this.fleet.target = Math.max(0, Math.floor(concurrency));
    this.log.info('resize', { concurrency: this.fleet.target });
    if (this.started && !this.stopping) this.fleet.reconcile();
  }

  /** Settings changed while the pool runs (the host re-reads them); nothing running is killed to apply one. */
  applySettings(next: LiveSettings): void {
    const running = this.started && !this.stopping;
    const budgets = [...this.jobs.values()].map((j) => j.timer);
    applyLiveSettings({ o: this.o, jobRssFollowsRecycle: this.jobRssFollowsRecycle, fleet: this.fleet, budgets, running, log: this.log }, next);
  }

  /** What the pool runs with now (diagnostics and tests). */
  liveSettings(): CurrentSettings {
    return currentSettings(this.o);
  }

  stats(): PoolStats {
    let starting = 0;
    let idle = 0;
    let busy = 0;
    for (const s of this.fleet.slots) {
      if (s.state === 'starting') starting++;
      else if (s.state === 'idle') idle++;
      else if (s.state === 'busy') busy++;
    }
    const storageDown = this.health.message;
    return {
      target: this.fleet.target,
      workers: this.fleet.slots.size,
      starting,
      idle,
      busy,
      ...this.outcomes.counters,
      restarts: this.fleet.restarts,
      ...(storageDown ? { storageDown } : {}),
    };
  }

  /** Each live worker process and what it is doing now (the UI's workers table). */
  workers(): PoolWorkerView[] {
    return workerViews(this.fleet.slots, this.jobs);
  }

  /** Worker process ids alive now (for tests and diagnostics). */
  pids(): number[] {
    return [...this.fleet.slots].map((s) => s.pid).filter((p): p is number => p !== undefined);
  }

  /**
   * Stop claiming; let running jobs finish within `graceMs`; give the rest back to pending
   * (attempt not counted) and end every worker process.
   */
  async stop(graceMs = 30_000): Promise<void> {
    if (this.stopping) {
      // A second stop (a second Ctrl-C) with no grace ends the wait for running jobs now.
      if (graceMs === 0) this.cutGrace?.();
      return this.waiters.waitFor(() => this.fleet.slots.size === 0, Infinity);
    }
    this.stopping = true;
    clearTimeout(this.pollTimer);
    this.fleet.close();
    await Promise.race([this.waiters.waitFor(() => this.jobs.size === 0, graceMs), new Promise<void>((resolve) => (this.cutGrace = resolve))]);
    for (const [slot, job] of [...this.jobs]) {
      job.timer.clear();
      this.jobs.delete(slot);
      try {
        await this.o.store.release(job.claimed.jobId, slot.workerId);
        this.log.info('returned a running job to the queue at shutdown', { jobId: job.claimed.jobId, path: job.claimed.path });
      } catch (err) {
        this.log.error('could not release a job at shutdown', { jobId: job.claimed.jobId, error: (err as Error).message });
      }
      slot.kill('stop');
    }
    await this.waiters.waitFor(() => this.fleet.slots.size === 0, Infinity);
    this.leases.stop();
    this.emitStats();
  }

  // ---- processes ----

  private onReady(s: WorkerSlot): void {
    if (!s.retiring) this.safeEmit('worker-idle', { workerId: s.workerId, pid: s.pid });
    this.emitStats();
    void this.pump();
  }

  private async onExit(s: WorkerSlot, code: number | null, signal: string | null): Promise<void> {
    // A worker's own watchdog ends it with MEMORY_LIMIT_SIGNAL past the limit: a memory kill too.
    const reason = s.killReason ?? (signal === MEMORY_LIMIT_SIGNAL ? 'memory' : s.retiring ? 'retired' : 'crashed');
    this.safeEmit('worker-exit', { workerId: s.workerId, pid: s.pid, code, signal, reason });
    const job = this.jobs.get(s);
    this.jobs.delete(s);
    if (job && !job.settling) {
      job.timer.clear();
      const failure = failureForExit(s.killReason, code, signal, this.o);
      if (failure) await this.outcomes.fail(s.workerId, job, failure);
    }
    this.waiters.notify();
    this.fleet.reconcile();
    void this.pump();
  }

  // ---- work ----

  private async onMessage(s: WorkerSlot, m: WorkerMessage): Promise<void> {
    const job = this.jobs.get(s);
    if (!job || !('id' in m) || job.msgId !== m.id) return;
    switch (m.type) {
      case 'hashed': {
        let reuse: OcrResult | null = null;
        try {
          // The languages this worker reads in: the job's own, else those it was started with.
          reuse = await this.o.store.findCompletedByHash(m.contentHash, job.claimed.languages ?? s.engineLanguages);
        } catch (err) {
          this.log.warn('dedupe lookup failed; running OCR', { error: (err as Error).message });
        }
        if (this.jobs.get(s) !== job) return;
        job.reuse = reuse ? { ...reuse, contentHash: m.contentHash } : null;
        s.send({ type: 'hash-verdict', id: m.id, reuse: reuse !== null });
        return;
      }
      case 'progress':
        job.timer.rearm();
        job.page = m.page;
        job.pages = m.pages;
        this.safeEmit('worker-progress', { workerId: s.workerId, jobId: job.claimed.jobId, path: job.claimed.path, page: m.page, pages: m.pages });
        try {
          await this.o.store.progress(job.claimed.jobId, s.workerId, m.page, m.pages);
        } catch (err) {
          if (this.health.observe(err) === 'other') this.log.warn('could not record progress', { error: (err as Error).message });
        }
        return;
      case 'memory':
        if (job.settling || s.state === 'exiting' || m.rss <= this.o.maxJobRssBytes) return;
        this.log.warn('worker passed the memory limit; killing it', {
          jobId: job.claimed.jobId,
          path: job.claimed.path,
          rssMb: Math.round(m.rss / 1048576),
          limitMb: Math.round(this.o.maxJobRssBytes / 1048576),
        });
        job.timer.clear();
        s.kill('memory');
        return;
      case 'job-done':
        if (job.settling) return;
        await this.settleDone(s, job, m);
        return;
    }
  }

  private async settleDone(s: WorkerSlot, job: RunningJob, m: Extract<WorkerMessage, { type: 'job-done' }>): Promise<void> {
    job.settling = true;
    job.timer.clear();
    const o = m.outcome;
    if (!o.ok) await this.outcomes.fail(s.workerId, job, { kind: o.error.kind, message: o.error.message });
    else {
      const result = 'result' in o ? o.result : job.reuse;
      if (result) await this.outcomes.complete(s.workerId, job, result, !('result' in o));
      else await this.outcomes.fail(s.workerId, job, { kind: 'engine_error', message: 'The worker reused a result that was not offered.' });
    }
    if (this.jobs.get(s) !== job) return; // the process died while we were writing
    this.jobs.delete(s);
    s.jobsDone++;
    if (s.jobsDone >= this.o.recycleAfterJobs || m.rss > this.o.recycleRssBytes) {
      this.log.info('recycling worker', { workerId: s.workerId, jobs: s.jobsDone, rssMb: Math.round(m.rss / 1048576) });
      s.retiring = true;
    } else if (this.fleet.outdated(s)) {
      this.log.info('replacing a worker started with settings changed since', { workerId: s.workerId });
      s.retiring = true;
    }
    if (s.state === 'exiting') {
      // The result beat a kill (timeout, lost lease) already under way: the process still goes.
    } else if (s.retiring) s.askToExit();
    else {
      s.state = 'idle';
      this.safeEmit('worker-idle', { workerId: s.workerId, pid: s.pid });
    }
    this.waiters.notify();
    this.fleet.reconcile();
    void this.pump();
  }

  /** Claim jobs for idle workers until none is idle or nothing is claimable. Never re-entered. */
  private async pump(): Promise<void> {
    if (this.pumping) {
      this.pumpAgain = true;
      return;
    }
    this.pumping = true;
    try {
      do {
        this.pumpAgain = false;
        for (;;) {
          if (this.stopping || this.health.isDamaged) return;
          const slot = this.fleet.idle();
          if (!slot) break;
          let claimed: ClaimedJob | null = null;
          try {
            claimed = await this.o.store.claim(slot.workerId);
            this.health.ok();
          } catch (err) {
            this.log.error('claim failed', { error: (err as Error).message });
            if (this.health.observe(err) === 'damaged') return;
          }
          if (!claimed) {
            this.schedulePoll();
            break;
          }
          if (slot.state !== 'idle' || slot.retiring || this.stopping || this.health.isDamaged) {
            // The worker went away while we claimed: the job was never started, give it back.
            await this.o.store.release(claimed.jobId, slot.workerId).catch(() => false);
            continue;
          }
          this.startJob(slot, claimed);
        }
      } while (this.pumpAgain);
    } finally {
      this.pumping = false;
    }
  }

  private schedulePoll(): void {
    if (this.pollTimer || this.stopping) return;
    // While the database is away, claims back off like the result writes instead of knocking every idle-poll interval.
    const delay = this.health.down ? Math.max(this.o.idlePollMs, this.health.retryDelay()) : this.o.idlePollMs;
    this.pollTimer = setTimeout(() => {
      this.pollTimer = undefined;
      void this.pump();
    }, delay);
  }

  private startJob(s: WorkerSlot, claimed: ClaimedJob): void {
    const msgId = ++this.seq;
    s.state = 'busy';
    this.jobs.set(s, {
      claimed,
      msgId,
      startedAt: Date.now(),
      reuse: null,
      settling: false,
      timer: new PageBudget(this.o.timeoutMs, () => {
        this.log.warn('a page timed out; killing its worker', { jobId: claimed.jobId, path: claimed.path, workerId: s.workerId });
        s.kill('timeout');
      }),
    });
    this.safeEmit('worker-busy', { workerId: s.workerId, pid: s.pid, jobId: claimed.jobId, path: claimed.path });
    this.emitStats();
    s.send({ type: 'job', id: msgId, jobId: claimed.jobId, path: this.o.mapPath(claimed.path), kind: claimed.kind, ...(claimed.languages ? { languages: claimed.languages } : {}) });
  }

  private runningJobIds(): ReadonlySet<string> {
    return new Set([...this.jobs.values()].map((j) => j.claimed.jobId));
  }

  // ---- plumbing ----

  private emitStats(): void {
    this.safeEmit('stats', this.stats());
    this.waiters.notify();
  }

  /** A listener that throws must never break the supervisor. */
  private safeEmit<K extends keyof PoolEvents>(event: K, ...args: PoolEvents[K]): void {
    try {
      (this.emit as (e: K, ...a: PoolEvents[K]) => boolean)(event, ...args);
    } catch (err) {
      this.log.error('pool event listener threw', { event, error: (err as Error).message });
    }
  }

  private guard(fn: () => unknown): void {
    try {
      const r = fn();
      if (r instanceof Promise) r.catch((err: unknown) => this.log.error('pool handler failed', { error: (err as Error).message }));
    } catch (err) {
      this.log.error('pool handler failed', { error: (err as Error).message });
    }
  }
}
