/**
 * JobStore on PostgreSQL (pg Pool), the twin of sqlite/store.ts: same decisions, same clock
 * seam, same backoff and permanent/transient rules; only the concurrency mechanics differ.
 * Claims use FOR UPDATE SKIP LOCKED so workers on many hosts never wait for each other;
 * completion is a single statement; everything else that reads-then-writes is one transaction.
 *
 * The constructor does not wait for the server: connecting and migrating start at once and every
 * operation awaits them, so createQuire stays synchronous. `PgJobStore.open` awaits it for
 * callers that want errors up front.
 */
import type { Clock } from '../../clock';
import { systemClock } from '../../clock';
import { isPermanent } from '../../../shared/errors';
import type { OcrResult } from '../../../shared/results';
import type { HostWorkers } from '../../../shared/stats';
import { guardStore } from '../errors';
import type {
  CancelFilter,
  ClaimedJob,
  DismissFilter,
  EnqueueBatchResult,
  FailOutcome,
  FileToEnqueue,
  JobFailure,
  JobStore,
  QueuePolicy,
  RemoveTarget,
  RequeueFilter,
  StaleRecovery,
} from '../types';
import { folderRange } from '../sqlite/listings';
import type { PgConnectionOptions } from './base';
import { classifyPgError, type Queryable } from './connection';
import { changedDocumentIds, type KnownDocument, planEnqueue } from './enqueue-plan';
import { PgReads } from './reads';
import * as SQL from './sql';

export interface PgStoreOptions extends PgConnectionOptions {
  clock?: Clock;
  /** Attempts, retry delays and priorities (src/core/queue/policy.ts). */
  policy: QueuePolicy;
}

const PAUSED_KEY = 'queue_paused';
const COMPACT_EVERY = 5000;


export class PgJobStore extends PgReads implements JobStore {
  private readonly policy: QueuePolicy;
  private readonly maxAttempts: number;
  private completions = 0;

  constructor(opts: PgStoreOptions) {
    super(opts, opts.clock ?? systemClock, opts.policy);
    this.policy = opts.policy;
    this.maxAttempts = opts.policy.maxAttempts;
    // Every operation leaves this object through the guard: driver errors become StorageError.
    return guardStore(this, classifyPgError);
  }

  /** Connect and migrate now; throws what the first operation would. */
  static async open(opts: PgStoreOptions): Promise<PgJobStore> {
    const store = new PgJobStore(opts);
    try {
      await store.ready;
    } catch (err) {
      await store.close();
      throw err;
    }
    return store;
  }

  async enqueueBatch(files: readonly FileToEnqueue[]): Promise<EnqueueBatchResult> {
    if (files.length === 0) return { enqueued: 0, unchanged: 0, alreadyQueued: 0, requeued: 0, outcomes: [] };
    const now = this.clock.now();
    return this.tx(async (c) => {
      await c.query(SQL.ENQUEUE_LOCK);
      const paths = [...new Set(files.map((f) => f.path))];
      const known = new Map<string, KnownDocument>();
      type DocRow = { id: string; path: string; size: number; mtime: number; ocr_status: string; ocr_languages: string | null };
      for (const r of (await c.query<DocRow>(SQL.DOCS_BY_PATHS, [paths])).rows) {
        known.set(r.path, { id: r.id, size: r.size, mtime: r.mtime, live: false, completed: r.ocr_status === 'completed', cancelled: r.ocr_status === 'cancelled', ocrLanguages: r.ocr_languages });
      }
      const changed = changedDocumentIds(files, known);
      if (changed.length) {
        type LiveRow = { document_id: string; status: string; languages: string | null };
        const live = new Map((await c.query<LiveRow>(SQL.LIVE_JOBS_OF, [changed])).rows.map((r) => [r.document_id, r]));
        for (const d of known.values()) {
          const j = live.get(d.id);
          d.live = j !== undefined;
          if (j?.status === 'pending') d.pendingLanguages = j.languages;
        }
      }
      const { result, newDocs: d, docUpdates: u, supersede, jobs, languageUpdates: l } = planEnqueue(files, known, this.policy.priorityForSize);
      if (d.length) {
        await c.query(SQL.INSERT_DOCS, [d.map((x) => x.id), d.map((x) => x.path), d.map((x) => x.size), d.map((x) => x.mtime), d.map((x) => x.kind), now]);
      }
      if (u.length) await c.query(SQL.UPDATE_DOC_FILES, [u.map((x) => x.id), u.map((x) => x.size), u.map((x) => x.mtime), u.map((x) => x.kind)]);
      if (supersede.length) await c.query(SQL.DROP_OLD_JOBS, [supersede]);
      if (l.length) await c.query(SQL.SET_PENDING_LANGUAGES, [l.map((x) => x.documentId), l.map((x) => x.languages)]);
      if (jobs.length) {
        const inserted = await c.query<{ id: string }>(SQL.INSERT_JOBS, [
          jobs.map((j) => j.id),
          jobs.map((j) => j.documentId),
          jobs.map((j) => j.priority),
          jobs.map((j) => j.size),
          this.maxAttempts,
          now,
          jobs.map((j) => j.languages),
        ]);
        // A job another host made live meanwhile (requeueFailed on an old job of the same
        // document) wins: this file is then already queued, not an error for the whole batch.
        if (inserted.rows.length !== jobs.length) {
          const ok = new Set(inserted.rows.map((r) => r.id));
          for (const j of jobs) {
            if (ok.has(j.id)) continue;
            if (result.outcomes[j.index] === 'requeued') result.requeued--;
            else result.enqueued--;
            result.outcomes[j.index] = 'already_queued';
            result.alreadyQueued++;
          }
        }
      }
      return result;
    });
  }

  async claim(workerId: string): Promise<ClaimedJob | null> {
    const r = (
      await this.q<{
        id: string;
        document_id: string;
        path: string;
        kind: string;
        file_size: number;
        attempts: number;
        max_attempts: number;
        priority: number;
        languages: string | null;
      }>(SQL.CLAIM, [this.clock.now(), workerId])
    ).rows[0];
    if (!r) return null;
    return {
      jobId: r.id,
      documentId: r.document_id,
      path: r.path,
      kind: r.kind,
      fileSize: r.file_size,
      attempts: r.attempts,
      maxAttempts: r.max_attempts,
      priority: r.priority,
      languages: r.languages,
    };
  }

  async reclaim(jobId: string, workerId: string): Promise<boolean> {
    return (await this.q(SQL.RECLAIM, [this.clock.now(), workerId, jobId])).rowCount === 1;
  }

  async heartbeat(jobId: string, workerId: string): Promise<boolean> {
    return (await this.q(SQL.HEARTBEAT, [this.clock.now(), jobId, workerId])).rowCount === 1;
  }

  async progress(jobId: string, workerId: string, page: number, pages: number): Promise<boolean> {
    return (await this.q(SQL.PROGRESS, [this.clock.now(), page, pages, jobId, workerId])).rowCount === 1;
  }

  async complete(jobId: string, workerId: string, result: OcrResult): Promise<boolean> {
    const p = result.pages;
    const r = await this.q(SQL.COMPLETE, [
      jobId,
      workerId,
      this.clock.now(),
      result.text,
      result.confidence,
      p.length,
      result.engine,
      result.languages,
      result.processingTimeMs,
      result.contentHash,
      p.map((x) => x.pageNo),
      p.map((x) => x.text),
      p.map((x) => x.confidence),
      p.map((x) => x.source),
    ]);
    if (r.rowCount !== 1) return false;
    // Fold counter deltas now and then even if no host asks for stats (a headless worker host
    // without maintenance): keeps the delta tables small. Fire and forget; stats() folds too.
    if (++this.completions % COMPACT_EVERY === 0) this.q(SQL.COMPACT_STATS).catch(() => {});
    return true;
  }

  async fail(jobId: string, workerId: string, failure: JobFailure): Promise<FailOutcome> {
    return this.tx(async (c) => {
      const job = (await c.query<{ attempts: number; max_attempts: number }>(SQL.HELD_JOB_FOR_UPDATE, [jobId, workerId])).rows[0];
      if (!job) return { status: 'rejected' } as const;
      return this.settleFailure(c, jobId, job.attempts, job.max_attempts, failure);
    });
  }

  /** The one place a failed attempt becomes a retry or a final failure. Call inside a transaction. */
  private async settleFailure(c: Queryable, jobId: string, attempts: number, maxAttempts: number, failure: JobFailure): Promise<FailOutcome> {
    const now = this.clock.now();
    if (isPermanent(failure.kind) || attempts >= maxAttempts) {
      await c.query(SQL.FAIL_JOB, [now, failure.message, failure.kind, jobId]);
      return { status: 'failed' };
    }
    const runAfter = now + this.policy.retryDelayMs(attempts);
    await c.query(SQL.RETRY_JOB, [runAfter, failure.message, failure.kind, jobId]);
    return { status: 'retry', runAfter };
  }

  async recoverStale(leaseMs: number): Promise<StaleRecovery> {
    const out = await this.tx(async (c): Promise<StaleRecovery> => {
      const out: StaleRecovery = { requeued: 0, failed: 0 };
      const cutoff = this.clock.now() - leaseMs;
      const stale = (await c.query<{ id: string; attempts: number; max_attempts: number; worker_id: string }>(SQL.STALE_JOBS, [cutoff])).rows;
      for (const job of stale) {
        const outcome = await this.settleFailure(c, job.id, job.attempts, job.max_attempts, {
          kind: 'worker_crashed',
          message: `The worker (${job.worker_id}) stopped renewing its lease for ${Math.round(leaseMs / 1000)} s; it probably crashed or lost the database.`,
        });
        if (outcome.status === 'failed') out.failed++;
        else out.requeued++;
      }
      return out;
    });
    // Maintenance runs this every few minutes: a good moment to fold counter deltas even when
    // nobody asks for stats (a headless worker host).
    await this.q(SQL.COMPACT_STATS);
    return out;
  }

  async requeue(filter: RequeueFilter = {}): Promise<number> {
    const statuses = filter.statuses ?? ['failed'];
    if (statuses.length === 0 || filter.jobIds?.length === 0) return 0;
    const params: unknown[] = [this.clock.now(), statuses];
    const where = ['status = ANY($2::text[])', ...jobFilter(filter, params)];
    if (filter.excludeKinds?.length) {
      params.push(filter.excludeKinds);
      where.push(`(error_kind IS NULL OR NOT (error_kind = ANY($${params.length}::text[])))`);
    }
    return this.tx(async (c) => {
      // Enqueue batches take this lock before deciding: a requeue and a batch never both make a live job.
      await c.query(SQL.ENQUEUE_LOCK);
      return (await c.query(SQL.requeueSql(where.join(' AND ')), params)).rowCount ?? 0;
    });
  }

  async dismissFailures(filter: DismissFilter): Promise<number> {
    const params: unknown[] = [];
    const where = ["status = 'failed'", ...jobFilter(filter, params)];
    return (await this.q(`DELETE FROM ocr_queue WHERE ${where.join(' AND ')}`, params)).rowCount ?? 0;
  }

  async removeDocuments(target: RemoveTarget): Promise<number> {
    const paths = [...(target.paths ?? [])];
    const ranges = (target.folders ?? []).map(folderRange);
    if (paths.length === 0 && ranges.length === 0) return 0;
    return this.tx(async (c) => {
      let n = 0;
      if (paths.length) n += (await c.query(SQL.REMOVE_DOCS_BY_PATH, [paths])).rowCount ?? 0;
      for (const [lo, hi] of ranges) n += (await c.query(SQL.REMOVE_DOCS_UNDER, [lo, hi])).rowCount ?? 0;
      return n;
    });
  }

  async cancel(filter: CancelFilter): Promise<number> {
    const now = this.clock.now();
    const r =
      'jobId' in filter ? await this.q(SQL.CANCEL_ONE, [now, filter.jobId]) : await this.q(SQL.CANCEL_ALL_PENDING, [now]);
    return r.rowCount ?? 0;
  }

  async setPaused(paused: boolean): Promise<void> {
    await this.q(SQL.SET_SETTING, [PAUSED_KEY, JSON.stringify(paused)]);
  }

  async isPaused(): Promise<boolean> {
    return (await this.getSetting(PAUSED_KEY)) === true;
  }

  async publishHostWorkers(row: HostWorkers): Promise<void> {
    await this.q(SQL.PUBLISH_HOST_WORKERS, [row.hostId, row.workersAllowed, row.fullWorkers, row.throttleReason, this.clock.now()]);
  }

  async withdrawHostWorkers(hostId: string): Promise<void> {
    await this.q(SQL.WITHDRAW_HOST_WORKERS, [hostId]);
  }

  async cleanup(olderThanMs: number): Promise<number> {
    const now = this.clock.now();
    return this.tx(async (c) => {
      const n = (await c.query(SQL.CLEANUP_JOBS, [now - olderThanMs])).rowCount ?? 0;
      await c.query(SQL.COMPACT_STATS);
      // Minute buckets only serve "today" and "last hour": two days is plenty.
      await c.query(SQL.CLEANUP_MINUTES, [Math.floor((now - 2 * 86_400_000) / 60_000)]);
      return n;
    });
  }

  async release(jobId: string, workerId: string): Promise<boolean> {
    return (await this.q(SQL.RELEASE, [this.clock.now(), jobId, workerId])).rowCount === 1;
  }

  async requeueDocuments(paths: readonly string[]): Promise<number> {
    return this.watch.requeueDocuments(paths);
  }


}

/** WHERE terms on ocr_queue for a job id (or ids), a kind and a folder; pushes their parameters. */
function jobFilter(f: { jobId?: string; jobIds?: readonly string[]; kind?: string; folder?: string }, params: unknown[]): string[] {
  const where: string[] = [];
  if (f.kind) {
    params.push(f.kind);
    where.push(`error_kind = $${params.length}`);
  }
  if (f.jobId) {
    params.push(f.jobId);
    where.push(`id = $${params.length}`);
  }
  if (f.jobIds) {
    params.push(f.jobIds);
    where.push(`id = ANY($${params.length}::text[])`);
  }
  if (f.folder) {
    params.push(...folderRange(f.folder));
    where.push(`document_id IN (SELECT id FROM documents WHERE path >= $${params.length - 1} AND path < $${params.length})`);
  }
  return where;
}
