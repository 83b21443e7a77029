/**
 * JobStore on SQLite (better-sqlite3). Every operation is one synchronous transaction
 * (BEGIN IMMEDIATE where it writes, so separate processes on one file serialize on the write
 * lock instead of failing mid-transaction); the async signatures are for the shared contract.
 */
import type { Clock } from '../../clock';
import { systemClock } from '../../clock';
import { isPermanent } from '../../../shared/errors';
import type { OcrResult } from '../../../shared/results';
import type { HostWorkers } from '../../../shared/stats';
import { uuidv7 } from '../../ids';
import { guardStore } from '../errors';
import type { Migration } from '../migrations';
import type {
  CancelFilter,
  ClaimedJob,
  DismissFilter,
  EnqueueBatchResult,
  EnqueueOutcome,
  FailOutcome,
  FileToEnqueue,
  JobFailure,
  JobStore,
  QueuePolicy,
  RemoveTarget,
  RequeueFilter,
  StaleRecovery,
} from '../types';
import { classifySqliteError } from './errors';
import { folderRange, SqliteListings } from './listings';
import { openSqliteDatabase } from './open';
import { SqliteReads } from './reads';
import { prepareStatements } from './statements';
import { createWatchStatements } from './watch';


export interface SqliteStoreOptions {
  path: string;
  migrations: readonly Migration[];
  clock?: Clock;
  busyTimeoutMs?: number;
  /** Attempts, retry delays and priorities (src/core/queue/policy.ts). */
  policy: QueuePolicy;
  /**
   * full (default): every commit is on the disk before it returns, so a power cut or a disk that
   * turns read-only loses nothing that was committed. normal: the log is flushed at checkpoints
   * only; a crash of Quire still loses nothing, but a power cut can roll back the last commits
   * the OS had not written yet (files added then are forgotten, results are OCR'd again). About
   * twice the claim+complete rate, which only matters far above OCR speeds (npm run bench:queue).
   */
  synchronous?: 'normal' | 'full';
}

const PAUSED_KEY = 'queue_paused';

export class SqliteJobStore extends SqliteReads implements JobStore {
  private readonly policy: QueuePolicy;
  private readonly maxAttempts: number;

  constructor(opts: SqliteStoreOptions) {
    const clock = opts.clock ?? systemClock;
    const db = openSqliteDatabase({ ...opts, now: clock.now() });
    super(db, clock, prepareStatements(db), createWatchStatements(db, () => clock.now()), new SqliteListings(db));
    this.policy = opts.policy;
    this.maxAttempts = opts.policy.maxAttempts;
    // Every operation leaves this object through the guard: driver errors become StorageError.
    return guardStore(this, classifySqliteError);
  }

  async enqueueBatch(files: readonly FileToEnqueue[]): Promise<EnqueueBatchResult> {
    return this.enqueueBatchSync(files);
  }

  /** A new pending job for a new document (whose row already says pending). Inside a transaction. */
  private insertJobFor(documentId: string, size: number, now: number, languages: string | undefined): void {
    this.s.insertJob.run(uuidv7(now), documentId, this.policy.priorityForSize(size), this.maxAttempts, now, size, now, languages ?? null);
  }

  /**
   * A new pending job for a document that had one before. It supersedes old failed or cancelled
   * rows, so one row always tells the document's state. Inside a transaction, with no live job.
   */
  private replaceJob(documentId: string, size: number, now: number, languages: string | undefined): void {
    this.s.dropOldJobs.run(documentId);
    this.insertJobFor(documentId, size, now, languages);
    this.s.resetDocStatus.run(documentId);
  }

  enqueueBatchSync(files: readonly FileToEnqueue[]): EnqueueBatchResult {
    const s = this.s;
    const now = this.clock.now();
    const outcomes: EnqueueOutcome[] = [];
    const result: EnqueueBatchResult = { enqueued: 0, unchanged: 0, alreadyQueued: 0, requeued: 0, outcomes };
    this.db
      .transaction(() => {
        for (const f of files) {
          const mtime = Math.trunc(f.mtimeMs);
          const doc = s.docByPath.get(f.path);
          let outcome: EnqueueOutcome;
          if (!doc) {
            const id = uuidv7(now);
            s.insertDoc.run(id, f.path, f.size, mtime, f.kind, now);
            this.insertJobFor(id, f.size, now, f.languages);
            outcome = 'enqueued';
          } else if (doc.size === f.size && doc.mtime === mtime) {
            outcome = 'unchanged';
            if (doc.ocr_status === 'cancelled' && !s.liveJob.get(doc.id)) {
              // Cancelled, then added again: the person wants it read after all.
              this.replaceJob(doc.id, f.size, now, f.languages);
              outcome = 'requeued';
            } else if (f.languages && f.languages !== doc.ocr_languages) {
              // Asked for with other languages than it was read with (or is queued with).
              if (s.liveJob.get(doc.id)) {
                if (s.setPendingLanguages.run(f.languages, doc.id, f.languages).changes) outcome = 'already_queued';
              } else if (doc.ocr_status === 'completed') {
                this.replaceJob(doc.id, f.size, now, f.languages);
                outcome = 'enqueued';
              }
            }
          } else {
            s.updateDocFile.run(f.size, mtime, f.kind, doc.id);
            if (s.liveJob.get(doc.id)) {
              if (f.languages) s.setPendingLanguages.run(f.languages, doc.id, f.languages);
              outcome = 'already_queued';
            } else {
              this.replaceJob(doc.id, f.size, now, f.languages);
              outcome = 'enqueued';
            }
          }
          outcomes.push(outcome);
          if (outcome === 'enqueued') result.enqueued++;
          else if (outcome === 'unchanged') result.unchanged++;
          else if (outcome === 'requeued') result.requeued++;
          else result.alreadyQueued++;
        }
      })
      .immediate();
    return result;
  }

  async claim(workerId: string): Promise<ClaimedJob | null> {
    return this.claimSync(workerId);
  }

  claimSync(workerId: string): ClaimedJob | null {
    const s = this.s;
    return this.db
      .transaction((): ClaimedJob | null => {
        if (this.pausedSync()) return null;
        const now = this.clock.now();
        const next = s.nextClaimable.get(now);
        if (!next) return null;
        s.markClaimed.run({ now, worker: workerId, rowid: next.rowid });
        const r = s.claimedView.get(next.rowid)!;
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
      })
      .immediate();
  }

  async reclaim(jobId: string, workerId: string): Promise<boolean> {
    return this.s.reclaim.run({ now: this.clock.now(), worker: workerId, id: jobId }).changes === 1;
  }

  async heartbeat(jobId: string, workerId: string): Promise<boolean> {
    return this.s.heartbeat.run(this.clock.now(), jobId, workerId).changes === 1;
  }

  async progress(jobId: string, workerId: string, page: number, pages: number): Promise<boolean> {
    return this.s.progress.run(this.clock.now(), page, pages, jobId, workerId).changes === 1;
  }

  async complete(jobId: string, workerId: string, result: OcrResult): Promise<boolean> {
    return this.completeSync(jobId, workerId, result);
  }

  completeSync(jobId: string, workerId: string, result: OcrResult): boolean {
    const s = this.s;
    return this.db
      .transaction((): boolean => {
        const job = s.heldJob.get(jobId, workerId);
        if (!job) return false;
        const now = this.clock.now();
        s.completeJob.run(now, Math.max(0, now - job.started_at), jobId);
        s.completeDoc.run({
          id: job.document_id,
          text: result.text,
          confidence: result.confidence,
          pageCount: result.pages.length,
          engine: result.engine,
          languages: result.languages,
          processingTimeMs: result.processingTimeMs,
          contentHash: result.contentHash,
        });
        s.deletePages.run(job.document_id);
        for (const p of result.pages) s.insertPage.run(job.document_id, p.pageNo, p.text, p.confidence, p.source);
        return true;
      })
      .immediate();
  }

  async fail(jobId: string, workerId: string, failure: JobFailure): Promise<FailOutcome> {
    return this.failSync(jobId, workerId, failure);
  }

  failSync(jobId: string, workerId: string, failure: JobFailure): FailOutcome {
    const s = this.s;
    return this.db
      .transaction((): FailOutcome => {
        const job = s.heldJob.get(jobId, workerId);
        if (!job) return { status: 'rejected' };
        return this.settleFailure(jobId, job.attempts, job.max_attempts, failure);
      })
      .immediate();
  }

  /** The one place a failed attempt becomes a retry or a final failure. Call inside a transaction. */
  private settleFailure(jobId: string, attempts: number, maxAttempts: number, failure: JobFailure): FailOutcome {
    const now = this.clock.now();
    if (isPermanent(failure.kind) || attempts >= maxAttempts) {
      this.s.failJob.run(now, failure.message, failure.kind, jobId);
      return { status: 'failed' };
    }
    const runAfter = now + this.policy.retryDelayMs(attempts);
    this.s.retryJob.run(runAfter, failure.message, failure.kind, jobId);
    return { status: 'retry', runAfter };
  }

  async recoverStale(leaseMs: number): Promise<StaleRecovery> {
    const s = this.s;
    return this.db
      .transaction((): StaleRecovery => {
        const out: StaleRecovery = { requeued: 0, failed: 0 };
        const cutoff = this.clock.now() - leaseMs;
        for (const job of s.staleJobs.all(cutoff)) {
          const outcome = this.settleFailure(job.id, job.attempts, job.max_attempts, {
            kind: 'worker_crashed',
            message: `The worker (${job.worker_id}) stopped renewing its lease for ${Math.round(leaseMs / 1000)} s; it probably crashed or lost the database.`,
          });
          if (outcome.status === 'failed') out.failed++;
          else out.requeued++;
        }
        return out;
      })
      .immediate();
  }

  async requeue(filter: RequeueFilter = {}): Promise<number> {
    const statuses = filter.statuses ?? ['failed'];
    if (statuses.length === 0 || filter.jobIds?.length === 0) return 0;
    const params: Record<string, unknown> = { now: this.clock.now() };
    const where = [`status IN (${statuses.map((st) => `'${st === 'cancelled' ? 'cancelled' : 'failed'}'`).join(', ')})`];
    where.push(...this.jobFilter(filter, params));
    if (filter.excludeKinds?.length) {
      where.push('(error_kind IS NULL OR error_kind NOT IN (SELECT value FROM json_each(@excludeKinds)))');
      params.excludeKinds = JSON.stringify(filter.excludeKinds);
    }
    // Never a second live job for a document (a changed file may have been queued meanwhile).
    where.push(`NOT EXISTS (SELECT 1 FROM ocr_queue l WHERE l.document_id = ocr_queue.document_id AND l.status IN ('pending', 'processing'))`);
    return this.db
      .transaction(
        () =>
          this.db
            .prepare(
              `UPDATE ocr_queue SET status = 'pending', attempts = 0, run_after = @now, created_at = @now, error_message = NULL,
                 error_kind = NULL, worker_id = NULL, started_at = NULL, completed_at = NULL, heartbeat_at = NULL
               WHERE ${where.join(' AND ')}`,
            )
            .run(params).changes,
      )
      .immediate();
  }

  /** WHERE terms on ocr_queue for a job id (or ids), a kind and a folder. */
  private jobFilter(f: { jobId?: string; jobIds?: readonly string[]; kind?: string; folder?: string }, params: Record<string, unknown>): string[] {
    const where: string[] = [];
    if (f.kind) {
      where.push('error_kind = @kind');
      params.kind = f.kind;
    }
    if (f.jobId) {
      where.push('id = @jobId');
      params.jobId = f.jobId;
    }
    if (f.jobIds) {
      where.push('id IN (SELECT value FROM json_each(@jobIds))');
      params.jobIds = JSON.stringify(f.jobIds);
    }
    if (f.folder) {
      [params.lo, params.hi] = folderRange(f.folder);
      where.push('document_id IN (SELECT id FROM documents WHERE path >= @lo AND path < @hi)');
    }
    return where;
  }

  async dismissFailures(filter: DismissFilter): Promise<number> {
    const params: Record<string, unknown> = {};
    const where = ["status = 'failed'", ...this.jobFilter(filter, params)];
    return this.db
      .transaction(() => this.db.prepare(`DELETE FROM ocr_queue WHERE ${where.join(' AND ')}`).run(params).changes)
      .immediate();
  }

  async removeDocuments(target: RemoveTarget): Promise<number> {
    const byPath = this.db.prepare('DELETE FROM documents WHERE path = ?');
    const under = this.db.prepare('DELETE FROM documents WHERE path >= ? AND path < ?');
    return this.db
      .transaction(() => {
        let n = 0;
        for (const p of target.paths ?? []) n += byPath.run(p).changes;
        for (const f of target.folders ?? []) n += under.run(...folderRange(f)).changes;
        return n;
      })
      .immediate();
  }

  async cancel(filter: CancelFilter): Promise<number> {
    const now = this.clock.now();
    const sql =
      'jobId' in filter
        ? `UPDATE ocr_queue SET status = 'cancelled', completed_at = @now, error_kind = 'cancelled',
             error_message = 'Cancelled by the user.', worker_id = NULL, heartbeat_at = NULL
           WHERE id = @jobId AND status IN ('pending', 'processing')`
        : `UPDATE ocr_queue SET status = 'cancelled', completed_at = @now, error_kind = 'cancelled',
             error_message = 'Cancelled by the user.'
           WHERE status = 'pending'`;
    const params = 'jobId' in filter ? { now, jobId: filter.jobId } : { now };
    return this.db.transaction(() => this.db.prepare(sql).run(params).changes).immediate();
  }

  async setPaused(paused: boolean): Promise<void> {
    this.s.setSetting.run(PAUSED_KEY, JSON.stringify(paused));
  }

  async isPaused(): Promise<boolean> {
    return this.pausedSync();
  }

  async publishHostWorkers(row: HostWorkers): Promise<void> {
    this.s.publishHostWorkers.run(row.hostId, row.workersAllowed, row.fullWorkers, row.throttleReason, this.clock.now());
  }

  async withdrawHostWorkers(hostId: string): Promise<void> {
    this.s.withdrawHostWorkers.run(hostId);
  }

  async cleanup(olderThanMs: number): Promise<number> {
    const now = this.clock.now();
    return this.db
      .transaction(() => {
        const n = this.db
          .prepare(`DELETE FROM ocr_queue WHERE status = 'completed' AND completed_at < ?`)
          .run(now - olderThanMs).changes;
        // Minute buckets only serve "today" and "last hour": two days is plenty.
        this.db.prepare('DELETE FROM queue_minute_stats WHERE minute < ?').run(Math.floor((now - 2 * 86_400_000) / 60_000));
        return n;
      })
      .immediate();
  }

  async release(jobId: string, workerId: string): Promise<boolean> {
    return this.db
      .transaction(() => this.s.release.run({ now: this.clock.now(), jobId, workerId }).changes === 1)
      .immediate();
  }

  async requeueDocuments(paths: readonly string[]): Promise<number> {
    const s = this.s;
    const now = this.clock.now();
    return this.db
      .transaction((): number => {
        let n = 0;
        for (const path of paths) {
          const doc = s.docByPath.get(path);
          if (!doc || s.liveJob.get(doc.id)) continue;
          this.replaceJob(doc.id, doc.size, now, undefined);
          n++;
        }
        return n;
      })
      .immediate();
  }

  async close(): Promise<void> {
    if (this.db.open) this.db.close();
  }
}
