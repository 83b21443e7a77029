/**
 * The pool supervisor: keeps `concurrency` OCR worker processes, claims a job only when a worker
 * is free to start it, and is the only party that talks to the store (workers need no database).
 *
 * Every way a job can end is handled here, once: a result completes it; an engine error fails it
 * with its kind; a hang past the timeout kills and replaces the process and fails the job as
 * `timeout`; a process that dies mid-job is replaced and its job fails as `worker_crashed`.
 * Transient kinds retry with the store's backoff, so a poison file ends failed after
 * max_attempts while the pool keeps its size. On stop, running jobs get a grace period and the
 * rest go back to pending without counting the attempt.
 */
import { EventEmitter } from 'node:events';
import type { ErrorKind } from '../../shared/errors';
import type { Logger } from '../logger';
import { silentLogger } from '../logger';
import type { OcrEngineOptions } from '../ocr/types';
import { isPgUnavailable } from '../store/postgres/connection';
import { damagedDatabaseMessage, isDatabaseDamaged, isStorageFault } from '../store/storage-fault';
import type { ClaimedJob, FailOutcome, JobStore } from '../store/types';
import type { OcrResult } from '../../shared/results';
import type { PoolEvents, PoolStats, PoolWorkerView } from './events';
import type { HostIdentity } from './host-id';
import { currentHost, parseWorkerId, releaseJobsOfDeadLocalHosts, workerIdFor } from './host-id';
import type { WorkerMessage } from './protocol';
import type { Spawner, WorkerHandle } from './spawner';

// Moved to the store (ingest explains the same faults); kept here for existing importers.
export { isStorageFault };

/** Used only when a pool is built without config; hosts pass worker_recycle_jobs / worker_max_rss_mb (measured defaults). */
export const DEFAULT_RECYCLE_AFTER_JOBS = 250;
export const DEFAULT_RECYCLE_RSS_MB = 1200;

export interface PoolOptions {
  store: JobStore;
  spawner: Spawner;
  /** The worker entry file (src/worker/main.ts, or the built .js). */
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

type SlotState = 'starting' | 'idle' | 'busy' | 'exiting';

interface RunningJob {
  claimed: ClaimedJob;
  msgId: number;
  startedAt: number;
  timer: NodeJS.Timeout;
  reuse: OcrResult | null;
  settling: boolean;
  /** Last progress the worker reported (the UI's "page 3 of 40"). */
  page?: number;
  pages?: number;
}

interface Slot {
  workerId: string;
  handle: WorkerHandle;
  state: SlotState;
  /** Takes no new job; exits once idle (shrink, recycle, stop). */
  retiring: boolean;
  ready: boolean;
  jobsDone: number;
  initId: number;
  initTimer?: NodeJS.Timeout;
  killTimer?: NodeJS.Timeout;
  killReason?: 'timeout' | 'init_timeout' | 'lost' | 'stop' | 'exit_timeout' | 'memory';
  job?: RunningJob;
}

export class WorkerPool extends EventEmitter<PoolEvents> {
  private readonly o: Required<Omit<PoolOptions, 'logger' | 'host'>>;
  private readonly log: Logger;
  private readonly host: HostIdentity;
  private readonly slots = new Set<Slot>();
  private target: number;
  private seq = 0;
  private workerSeq = 0;
  private started = false;
  private stopping = false;
  private pumping = false;
  private pumpAgain = false;
  private pollTimer?: NodeJS.Timeout;
  private respawnTimer?: NodeJS.Timeout;
  private heartbeatTimer?: NodeJS.Timeout;
  private initFailures = 0;
  private storageDown = false;
  /** The fault is a lost PostgreSQL server (not a full disk): says "disconnected". */
  private disconnected = false;
  /** While storageDown: the message, and consecutive failed tries (retry delays back off). */
  private storageMessage = '';
  private storageTries = 0;
  /** Set once the database reports damage (SQLITE_CORRUPT): processing stops for good. */
  private damagedMessage = '';
  private cutGrace?: () => void;
  private readonly waiters = new Set<() => void>();
  private readonly counters = { jobsCompleted: 0, jobsReused: 0, jobsRetried: 0, jobsFailed: 0, pagesDone: 0, restarts: 0 };

  constructor(opts: PoolOptions) {
    super();
    this.o = {
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
    } as Required<Omit<PoolOptions, 'logger' | 'host'>>;
    if (opts.maxJobRssBytes === undefined) this.o.maxJobRssBytes = 2 * this.o.recycleRssBytes;
    this.log = (opts.logger ?? silentLogger).scope('pool');
    this.host = opts.host ?? currentHost();
    this.target = Math.max(0, opts.concurrency);
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
    this.heartbeatTimer = setInterval(() => void this.renewLeases(), this.o.heartbeatMs);
    this.reconcile();
  }

  get concurrency(): number {
    return this.target;
  }

  /** Change the number of workers now. Shrinking lets running jobs finish first. */
  resize(concurrency: number): void {
    this.target = Math.max(0, Math.floor(concurrency));
    this.log.info('resize', { concurrency: this.target });
    if (this.started && !this.stopping) this.reconcile();
  }

  stats(): PoolStats {
    let starting = 0;
    let idle = 0;
    let busy = 0;
    for (const s of this.slots) {
      if (s.state === 'starting') starting++;
      else if (s.state === 'idle') idle++;
      else if (s.state === 'busy') busy++;
    }
    return {
      target: this.target,
      workers: this.slots.size,
      starting,
      idle,
      busy,
      ...this.counters,
      ...(this.damagedMessage ? { storageDown: this.damagedMessage } : this.storageDown ? { storageDown: this.storageMessage } : {}),
    };
  }

  /** Each live worker process and what it is doing now (the UI's workers table). */
  workers(): PoolWorkerView[] {
    return [...this.slots].map((s) => ({
      id: s.workerId,
      state: s.state === 'exiting' ? 'stopping' : s.state,
      jobId: s.job?.claimed.jobId ?? null,
      path: s.job?.claimed.path ?? null,
      page: s.job?.page ?? null,
      pages: s.job?.pages ?? null,
      since: s.job?.startedAt ?? null,
    }));
  }

  /** Worker process ids alive now (for tests and diagnostics). */
  pids(): number[] {
    return [...this.slots].map((s) => s.handle.pid).filter((p): p is number => p !== undefined);
  }

  /**
   * Stop claiming; let running jobs finish within `graceMs`; give the rest back to pending
   * (attempt not counted) and end every worker process.
   */
  async stop(graceMs = 30_000): Promise<void> {
    if (this.stopping) {
      // A second stop (a second Ctrl-C) with no grace ends the wait for running jobs now.
      if (graceMs === 0) this.cutGrace?.();
      return this.waitFor(() => this.slots.size === 0, Infinity);
    }
    this.stopping = true;
    clearTimeout(this.pollTimer);
    clearTimeout(this.respawnTimer);
    for (const s of this.slots) this.retire(s);
    await Promise.race([
      this.waitFor(() => ![...this.slots].some((s) => s.job), graceMs),
      new Promise<void>((resolve) => (this.cutGrace = resolve)),
    ]);
    for (const s of [...this.slots]) {
      const job = s.job;
      if (!job) continue;
      clearTimeout(job.timer);
      s.job = undefined;
      try {
        await this.o.store.release(job.claimed.jobId, s.workerId);
        this.log.info('returned a running job to the queue at shutdown', { jobId: job.claimed.jobId, path: job.claimed.path });
      } catch (err) {
        this.log.error('could not release a job at shutdown', { jobId: job.claimed.jobId, error: (err as Error).message });
      }
      this.kill(s, 'stop');
    }
    await this.waitFor(() => this.slots.size === 0, Infinity);
    clearInterval(this.heartbeatTimer);
    this.emitStats();
  }

  // ---- process management ----

  private reconcile(afterBackoff = false): void {
    if (this.stopping) return;
    const active = [...this.slots].filter((s) => !s.retiring);
    if (active.length > this.target) {
      // Retire workers that are not running a job first.
      const order = active.sort((a, b) => rank(a) - rank(b));
      for (const s of order.slice(0, active.length - this.target)) this.retire(s);
    } else if (active.length < this.target) {
      // Workers that fail to start are retried with backoff, not in a tight loop.
      const delay = this.initFailures && !afterBackoff ? Math.min(30_000, 500 * 2 ** (this.initFailures - 1)) : 0;
      if (delay === 0) {
        for (let i = active.length; i < this.target; i++) this.spawnSlot();
      } else if (!this.respawnTimer) {
        this.respawnTimer = setTimeout(() => {
          this.respawnTimer = undefined;
          this.reconcile(true);
        }, delay);
      }
    }
    this.emitStats();
  }

  private spawnSlot(): void {
    const workerId = workerIdFor(this.host, ++this.workerSeq);
    const handle = this.o.spawner.spawn(this.o.workerEntry, { name: `quire-ocr-${this.workerSeq}` });
    const slot: Slot = { workerId, handle, state: 'starting', retiring: false, ready: false, jobsDone: 0, initId: ++this.seq };
    this.slots.add(slot);
    handle.onMessage((m) => this.guard(() => this.onMessage(slot, m)));
    handle.onExit((code, signal) => this.guard(() => this.onExit(slot, code, signal)));
    slot.initTimer = setTimeout(() => {
      this.log.warn('worker did not start in time', { workerId, limitMs: this.o.initTimeoutMs });
      this.kill(slot, 'init_timeout');
    }, this.o.initTimeoutMs);
    handle.send({ type: 'init', id: slot.initId, engine: this.o.engine, engineOptions: this.o.engineOptions });
    this.log.debug('worker spawned', { workerId, pid: handle.pid });
  }

  private retire(s: Slot): void {
    s.retiring = true;
    if (s.state === 'idle' || s.state === 'starting') this.askToExit(s);
  }

  private askToExit(s: Slot): void {
    if (s.state === 'exiting') return;
    s.state = 'exiting';
    clearTimeout(s.initTimer);
    s.handle.send({ type: 'shutdown' });
    s.killTimer = setTimeout(() => this.kill(s, 'exit_timeout'), this.o.killGraceMs);
    this.emitStats();
  }

  /** SIGTERM, then SIGKILL after the grace period. The job (if any) is settled on exit. */
  private kill(s: Slot, reason: NonNullable<Slot['killReason']>): void {
    s.killReason ??= reason;
    s.state = 'exiting';
    clearTimeout(s.initTimer);
    clearTimeout(s.killTimer);
    // A leaking process gets no grace: it could take the machine's memory meanwhile.
    s.handle.kill(reason === 'memory' ? 'SIGKILL' : 'SIGTERM');
    s.killTimer = setTimeout(() => s.handle.kill('SIGKILL'), this.o.killGraceMs);
  }

  private async onExit(s: Slot, code: number | null, signal: string | null): Promise<void> {
    clearTimeout(s.initTimer);
    clearTimeout(s.killTimer);
    this.slots.delete(s);
    const wanted = !s.retiring && !this.stopping;
    if (wanted) this.counters.restarts++;
    if (!s.ready && wanted) this.noteInitFailure(`worker exited during start (code ${code}, signal ${signal})`);
    const reason = s.killReason ?? (s.retiring ? 'retired' : 'crashed');
    this.safeEmit('worker-exit', { workerId: s.workerId, pid: s.handle.pid, code, signal, reason });
    const job = s.job;
    s.job = undefined;
    if (job && !job.settling) {
      clearTimeout(job.timer);
      if (s.killReason === 'memory') {
        await this.failJob(s.workerId, job, {
          kind: 'out_of_memory',
          message: `The OCR worker used more than ${Math.round(this.o.maxJobRssBytes / 1048576)} MB of memory on this file; it was stopped.`,
        });
      } else if (s.killReason === 'timeout') {
        await this.failJob(s.workerId, job, {
          kind: 'timeout',
          message: `OCR took longer than ${Math.round(this.o.timeoutMs / 1000)} s; the worker was stopped.`,
        });
      } else if (s.killReason !== 'lost' && s.killReason !== 'stop') {
        await this.failJob(s.workerId, job, {
          kind: 'worker_crashed',
          message: `The OCR worker process ended while reading this file (${signal ? `signal ${signal}` : `exit code ${code}`}).`,
        });
      }
    }
    this.notify();
    this.reconcile();
    void this.pump();
  }

  private noteInitFailure(message: string): void {
    this.initFailures++;
    this.log.error('worker failed to start', { message, consecutive: this.initFailures });
    if (this.initFailures === this.o.fatalAfterInitFailures) this.safeEmit('fatal', { message: `OCR workers cannot start: ${message}` });
  }

  // ---- messages ----

  private async onMessage(s: Slot, m: WorkerMessage): Promise<void> {
    switch (m.type) {
      case 'ready':
        if (m.id !== s.initId || s.state !== 'starting') return;
        clearTimeout(s.initTimer);
        s.ready = true;
        s.state = 'idle';
        this.initFailures = 0;
        this.log.debug('worker ready', { workerId: s.workerId, pid: m.pid, engine: m.engine });
        if (s.retiring) this.askToExit(s);
        else this.safeEmit('worker-idle', { workerId: s.workerId, pid: s.handle.pid });
        this.emitStats();
        void this.pump();
        return;
      case 'init-failed':
        if (m.id !== s.initId) return;
        this.noteInitFailure(m.error.message);
        s.ready = true; // counted already; do not count the exit again
        s.retiring = true;
        this.askToExit(s);
        this.reconcile();
        return;
      case 'hashed': {
        const job = s.job;
        if (!job || job.msgId !== m.id) return;
        let reuse: OcrResult | null = null;
        try {
          reuse = await this.o.store.findCompletedByHash(m.contentHash);
        } catch (err) {
          this.log.warn('dedupe lookup failed; running OCR', { error: (err as Error).message });
        }
        if (s.job !== job) return;
        job.reuse = reuse ? { ...reuse, contentHash: m.contentHash } : null;
        s.handle.send({ type: 'hash-verdict', id: m.id, reuse: reuse !== null });
        return;
      }
      case 'progress': {
        const job = s.job;
        if (!job || job.msgId !== m.id) return;
        job.page = m.page;
        job.pages = m.pages;
        this.safeEmit('worker-progress', { workerId: s.workerId, jobId: job.claimed.jobId, path: job.claimed.path, page: m.page, pages: m.pages });
        try {
          await this.o.store.progress(job.claimed.jobId, s.workerId, m.page, m.pages);
        } catch (err) {
          this.log.warn('could not record progress', { error: (err as Error).message });
        }
        return;
      }
      case 'memory': {
        const job = s.job;
        if (!job || job.msgId !== m.id || job.settling || s.state === 'exiting') return;
        if (m.rss > this.o.maxJobRssBytes) {
          this.log.warn('worker passed the memory limit; killing it', {
            jobId: job.claimed.jobId,
            path: job.claimed.path,
            rssMb: Math.round(m.rss / 1048576),
            limitMb: Math.round(this.o.maxJobRssBytes / 1048576),
          });
          clearTimeout(job.timer);
          this.kill(s, 'memory');
        }
        return;
      }
      case 'job-done': {
        const job = s.job;
        if (!job || job.msgId !== m.id || job.settling) return;
        job.settling = true;
        clearTimeout(job.timer);
        const o = m.outcome;
        if (!o.ok) {
          await this.failJob(s.workerId, job, { kind: o.error.kind, message: o.error.message });
        } else {
          const result = 'result' in o ? o.result : job.reuse;
          if (result) await this.completeJob(s.workerId, job, result, !('result' in o));
          else await this.failJob(s.workerId, job, { kind: 'engine_error', message: 'The worker reused a result that was not offered.' });
        }
        if (s.job !== job) return; // the process died while we were writing
        s.job = undefined;
        s.jobsDone++;
        if (s.jobsDone >= this.o.recycleAfterJobs || m.rss > this.o.recycleRssBytes) {
          this.log.info('recycling worker', { workerId: s.workerId, jobs: s.jobsDone, rssMb: Math.round(m.rss / 1048576) });
          s.retiring = true;
        }
        if (s.state === 'exiting') {
          // The result beat a kill (timeout, lost lease) already under way: the process still goes.
        } else if (s.retiring) this.askToExit(s);
        else {
          s.state = 'idle';
          this.safeEmit('worker-idle', { workerId: s.workerId, pid: s.handle.pid });
        }
        this.notify();
        this.reconcile();
        void this.pump();
        return;
      }
    }
  }

  // ---- jobs ----

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
          if (this.stopping || this.damagedMessage) return;
          const slot = [...this.slots].find((s) => s.state === 'idle' && !s.retiring);
          if (!slot) break;
          let claimed: ClaimedJob | null = null;
          try {
            claimed = await this.o.store.claim(slot.workerId);
            this.storageOk();
          } catch (err) {
            this.log.error('claim failed', { error: (err as Error).message });
            if (isStorageFault(err)) this.storageFault(err);
            if (isDatabaseDamaged(err)) return this.databaseDamaged(err);
          }
          if (!claimed) {
            this.schedulePoll();
            break;
          }
          if (slot.state !== 'idle' || slot.retiring || this.stopping || this.damagedMessage) {
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
    // While the database is away, claims back off like the result writes (2 s doubling to 30 s)
    // instead of knocking every idle-poll interval.
    const delay = this.storageDown ? Math.max(this.o.idlePollMs, this.storageRetryDelay()) : this.o.idlePollMs;
    this.pollTimer = setTimeout(() => {
      this.pollTimer = undefined;
      void this.pump();
    }, delay);
  }

  private startJob(s: Slot, claimed: ClaimedJob): void {
    const msgId = ++this.seq;
    s.state = 'busy';
    s.job = {
      claimed,
      msgId,
      startedAt: Date.now(),
      reuse: null,
      settling: false,
      timer: setTimeout(() => {
        this.log.warn('job timed out; killing its worker', { jobId: claimed.jobId, path: claimed.path, workerId: s.workerId });
        this.kill(s, 'timeout');
      }, this.o.timeoutMs),
    };
    this.safeEmit('worker-busy', { workerId: s.workerId, pid: s.handle.pid, jobId: claimed.jobId, path: claimed.path });
    this.emitStats();
    const path = this.o.mapPath(claimed.path);
    s.handle.send({ type: 'job', id: msgId, jobId: claimed.jobId, path, kind: claimed.kind });
  }

  private async completeJob(workerId: string, job: RunningJob, result: OcrResult, reused: boolean): Promise<void> {
    const { claimed } = job;
    let ok = false;
    for (;;) {
      try {
        ok = await this.o.store.complete(claimed.jobId, workerId, result);
        this.storageOk();
        break;
      } catch (err) {
        if (isStorageFault(err) && !this.stopping) {
          // Disk full or read-only: keep the result and this worker (no new claims on it), and
          // try again until the disk takes it. If the lease lapses meanwhile, stale recovery
          // requeues the job and complete() returns false: redone, never lost or doubled.
          this.storageFault(err);
          await new Promise((r) => setTimeout(r, this.storageRetryDelay()));
          continue;
        }
        this.log.error('could not store a result', { jobId: claimed.jobId, error: (err as Error).message });
        if (isStorageFault(err)) return; // stopping: the job stays held and is recovered at the next start
        if (isDatabaseDamaged(err)) return this.databaseDamaged(err); // writing a failure would fail too
        await this.failJob(workerId, job, { kind: 'engine_error', message: `Could not store the result: ${(err as Error).message}` });
        return;
      }
    }
    if (!ok) {
      this.log.warn('result discarded: the job is no longer held by this worker', { jobId: claimed.jobId });
      return;
    }
    this.counters.jobsCompleted++;
    if (reused) this.counters.jobsReused++;
    this.counters.pagesDone += result.pages.length;
    this.safeEmit('job-completed', {
      jobId: claimed.jobId,
      documentId: claimed.documentId,
      path: claimed.path,
      pages: result.pages.length,
      reused,
      ms: Date.now() - job.startedAt,
    });
  }

  private async failJob(workerId: string, job: RunningJob, failure: { kind: ErrorKind; message: string }): Promise<void> {
    const { claimed } = job;
    let outcome: FailOutcome = { status: 'rejected' };
    for (;;) {
      try {
        outcome = await this.o.store.fail(claimed.jobId, workerId, failure);
        this.storageOk();
      } catch (err) {
        if (isStorageFault(err) && !this.stopping) {
          this.storageFault(err); // as in completeJob: wait for the disk, never drop the outcome
          await new Promise((r) => setTimeout(r, this.storageRetryDelay()));
          continue;
        }
        this.log.error('could not record a failure', { jobId: claimed.jobId, error: (err as Error).message });
        if (isDatabaseDamaged(err)) this.databaseDamaged(err);
      }
      break;
    }
    if (outcome.status === 'retry') this.counters.jobsRetried++;
    if (outcome.status === 'failed') this.counters.jobsFailed++;
    this.log.info('job failed', { jobId: claimed.jobId, path: claimed.path, kind: failure.kind, outcome: outcome.status });
    this.safeEmit('job-failed', {
      jobId: claimed.jobId,
      documentId: claimed.documentId,
      path: claimed.path,
      kind: failure.kind,
      message: failure.message,
      outcome: outcome.status,
    });
  }

  private async renewLeases(): Promise<void> {
    for (const s of [...this.slots]) {
      const job = s.job;
      if (!job || s.state !== 'busy') continue;
      try {
        const held = await this.o.store.heartbeat(job.claimed.jobId, s.workerId);
        this.storageOk();
        if (!held && s.job === job && !job.settling) {
          // Cancelled, or taken back by stale recovery: the work is no longer wanted.
          this.log.warn('lost the lease on a running job; stopping its worker', { jobId: job.claimed.jobId });
          this.kill(s, 'lost');
        }
      } catch (err) {
        this.log.warn('heartbeat failed', { error: (err as Error).message });
        // A host whose workers are all busy claims nothing: its heartbeats are what notice a lost server.
        if (isStorageFault(err)) this.storageFault(err);
        if (isDatabaseDamaged(err)) this.databaseDamaged(err);
      }
    }
  }

  // ---- storage faults ----

  private storageFault(err: unknown): void {
    this.storageTries++;
    if (this.storageDown || this.damagedMessage) return; // the damage message stays the one shown
    this.storageDown = true;
    this.disconnected = isPgUnavailable(err);
    const e = err as { code?: string; message?: string };
    const why = `${e.code ?? 'error'}: ${e.message ?? String(err)}`;
    const message = this.disconnected
      ? `Disconnected from the PostgreSQL server (${why}). Running jobs keep going and keep their results; ` +
        `no new jobs are claimed. Reconnecting with backoff (${Math.round(this.o.storageRetryMs / 1000)} s, doubling up to ${STORAGE_RETRY_CAP_MS / 1000} s).`
      : `Cannot write to the queue database (${why}). ` +
        `Processing waits and retries every ${Math.round(this.o.storageRetryMs / 1000)} s or more: free disk space, or make the data folder writable, and it resumes by itself.`;
    this.storageMessage = message;
    this.log.error('storage fault', { code: e.code, error: e.message });
    this.safeEmit('storage', { ok: false, message });
    this.emitStats();
  }

  /** storageRetryMs, doubling with each failed try while the database stays away, capped. */
  private storageRetryDelay(): number {
    return Math.min(STORAGE_RETRY_CAP_MS, this.o.storageRetryMs * 2 ** Math.min(5, Math.max(0, this.storageTries - 1)));
  }

  /**
   * The database file is damaged: retrying claims would fail the same way forever. Stop starting
   * jobs and say what to do (as the storage banner and as a fatal event that ends `quire run` /
   * `quire worker`), once. Jobs already running finish or stay held; `quire repair` is next.
   */
  private databaseDamaged(err: unknown): void {
    if (this.damagedMessage) return;
    const e = err as { code?: string; message?: string };
    this.damagedMessage = damagedDatabaseMessage(err);
    this.log.error('database damaged', { code: e.code, error: e.message });
    clearTimeout(this.pollTimer);
    this.pollTimer = undefined;
    this.safeEmit('storage', { ok: false, message: this.damagedMessage });
    this.safeEmit('fatal', { message: this.damagedMessage });
    this.emitStats();
  }

  private storageOk(): void {
    this.storageTries = 0;
    if (!this.storageDown || this.damagedMessage) return;
    this.storageDown = false;
    this.storageMessage = '';
    this.log.info('storage writable again');
    const message = this.disconnected
      ? 'Reconnected to the PostgreSQL server; processing resumed.'
      : 'The queue database is writable again; processing resumed.';
    this.safeEmit('storage', { ok: true, message });
    this.emitStats();
    if (this.disconnected) void this.releaseOrphans();
  }

  /**
   * After a lost connection: a claim that committed but whose reply never arrived left a job
   * processing under one of our worker ids that no worker runs. Give such jobs back at once
   * (instead of after a whole lease). A claim racing with this can at worst be handed back and
   * run again later: complete() then answers false, so nothing is completed twice.
   */
  private async releaseOrphans(): Promise<void> {
    try {
      const running = new Set([...this.slots].map((x) => x.job?.claimed.jobId).filter(Boolean));
      for (const job of await this.o.store.listProcessing()) {
        const owner = job.workerId ? parseWorkerId(job.workerId) : null;
        if (!owner || owner.host !== this.host.host || owner.pid !== this.host.pid) continue;
        if (running.has(job.jobId) || [...this.slots].some((x) => x.job?.claimed.jobId === job.jobId)) continue;
        if (await this.o.store.release(job.jobId, job.workerId!)) {
          this.log.warn('released a job whose claim was cut off by the lost connection', { jobId: job.jobId, path: job.path });
        }
      }
    } catch (err) {
      this.log.warn('could not check for jobs orphaned by the lost connection', { error: (err as Error).message });
    }
  }

  // ---- plumbing ----

  private notify(): void {
    for (const w of [...this.waiters]) w();
  }

  private waitFor(pred: () => boolean, timeoutMs: number): Promise<void> {
    if (pred()) return Promise.resolve();
    return new Promise((resolve) => {
      let timer: NodeJS.Timeout | undefined;
      const check = () => {
        if (!pred()) return;
        done();
      };
      const done = () => {
        clearTimeout(timer);
        this.waiters.delete(check);
        resolve();
      };
      this.waiters.add(check);
      if (Number.isFinite(timeoutMs)) timer = setTimeout(done, timeoutMs);
    });
  }

  private emitStats(): void {
    this.safeEmit('stats', this.stats());
    this.notify();
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

/** Longest wait between tries while the queue database is away. */
export const STORAGE_RETRY_CAP_MS = 30_000;

function rank(s: Slot): number {
  return s.state === 'starting' ? 0 : s.state === 'idle' ? 1 : 2;
}

function stripUndefined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}
