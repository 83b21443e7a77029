/**
 * JobStore on SQLite (better-sqlite3). Every operation is one synchronous transaction
 * (BEGIN IMMEDIATE where it writes, so separate processes on one file serialize on the write
 * lock instead of failing mid-transaction); the async signatures are for the shared contract.
 */
import Database from 'better-sqlite3';
import type { Clock } from '../../clock';
import { startOfLocalDay, systemClock } from '../../clock';
import { isPermanent, QuireError } from '../../../shared/errors';
import { uuidv7 } from '../../ids';
import { BACKOFF_BASE_MS, backoffMs } from '../../queue/backoff';
import { priorityForSize } from '../../queue/priority';
import type { Migration } from '../migrations';
import type { CancelFilter, ClaimedJob, EnqueueBatchResult, EnqueueOutcome, FailOutcome, FileToEnqueue, JobFailure, JobStore, RequeueFilter, StaleRecovery, DocumentFileFacts, DocumentFileRow, NewWatchedFolder, WatchedFolder, WatchedFolderState } from '../types';
import type { DocumentRow, JobRow, JobStatus } from '../../../shared/jobs';
import type { FailureRow, SearchHit, FailureGroup, JobListQuery, JobListRow, JobPage } from '../../../shared/listings';
import type { InProgressJob, QueueStats, MinuteCount } from '../../../shared/stats';
import type { OcrResult, PageResult } from '../../../shared/results';
import { DEFAULT_MAX_ATTEMPTS } from '../types';
import { IN_PROGRESS_LIMIT } from '../../../shared/stats';
import { SqliteListings } from './listings';
import { migrateSqlite } from './migrate';
import { type DocRaw, type InProgressRaw, type JobRaw, toDocument, toInProgress, toJob } from '../rows';
import { createWatchStatements } from './watch';

export interface SqliteStoreOptions {
  path: string;
  migrations: readonly Migration[];
  clock?: Clock;
  random?: () => number;
  busyTimeoutMs?: number;
  maxAttempts?: number;
  /** Base retry delay (default BACKOFF_BASE_MS, 10 s); tests shorten it. */
  backoffBaseMs?: number;
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

/** Turn driver errors at open time into sentences a person can act on. */
export function describeOpenError(err: unknown, path: string): QuireError {
  const code = (err as { code?: string }).code ?? '';
  if (err instanceof QuireError) return err;
  if (code === 'SQLITE_NOTADB' || code.startsWith('SQLITE_CORRUPT')) {
    return new QuireError(
      'database_corrupt',
      `The database at ${path} is damaged or is not a Quire database. Move it aside and start a fresh queue with \`quire repair --move-aside\` (the old file is kept as ${path}.broken-<time>).`,
      { cause: err },
    );
  }
  if (code.startsWith('SQLITE_READONLY') || code.startsWith('SQLITE_CANTOPEN') || code === 'SQLITE_PERM') {
    return new QuireError(
      'database_readonly',
      `Cannot write to the database at ${path}: the file or its folder is read-only. Check their permissions, or choose another data folder with --data-dir.`,
      { cause: err },
    );
  }
  return new QuireError('database_error', `Cannot open the database at ${path}: ${(err as Error).message}.`, {
    cause: err,
  });
}





export class SqliteJobStore implements JobStore {
  readonly db: Database.Database;
  private readonly clock: Clock;
  private readonly random: () => number;
  private readonly maxAttempts: number;
  private readonly backoffBaseMs: number;
  private readonly s;
  private readonly w;
  private readonly listings: SqliteListings;

  constructor(opts: SqliteStoreOptions) {
    this.clock = opts.clock ?? systemClock;
    this.random = opts.random ?? Math.random;
    this.maxAttempts = opts.maxAttempts ?? DEFAULT_MAX_ATTEMPTS;
    this.backoffBaseMs = opts.backoffBaseMs ?? BACKOFF_BASE_MS;
    let db: Database.Database | undefined;
    try {
      db = new Database(opts.path, { timeout: opts.busyTimeoutMs ?? 10_000 });
      // WAL: readers never block the writer. FULL: each commit flushes the log (durable across
      // power cuts and failing disks); NORMAL: durable across process crashes only.
      const mode = db.pragma('journal_mode = WAL', { simple: true });
      if (String(mode).toLowerCase() !== 'wal') {
        throw new QuireError('database_error', `Could not switch ${opts.path} to write-ahead logging (got ${mode}).`);
      }
      db.pragma(`synchronous = ${opts.synchronous === 'normal' ? 'NORMAL' : 'FULL'}`);
      // 64 MB page cache: the claim and id indexes of a million-job queue stay in memory.
      db.pragma('cache_size = -65536');
      db.pragma('foreign_keys = ON');
      migrateSqlite(db, opts.migrations, opts.path, this.clock.now());
    } catch (err) {
      db?.close();
      throw describeOpenError(err, opts.path);
    }
    this.db = db;
    this.s = this.prepare();
    this.w = createWatchStatements(this.db, () => this.clock.now());
    this.listings = new SqliteListings(db);
  }

  private prepare() {
    const db = this.db;
    return {
      docByPath: db.prepare<[string], DocRaw>('SELECT * FROM documents WHERE path = ?'),
      docById: db.prepare<[string], DocRaw>('SELECT * FROM documents WHERE id = ?'),
      insertDoc: db.prepare(
        `INSERT INTO documents (id, path, size, mtime, kind, added_at, ocr_status)
         VALUES (?, ?, ?, ?, ?, ?, 'pending')`,
      ),
      updateDocFile: db.prepare('UPDATE documents SET size = ?, mtime = ?, kind = ?, content_hash = NULL WHERE id = ?'),
      resetDocStatus: db.prepare(
        `UPDATE documents SET ocr_status = 'pending', ocr_error = NULL, ocr_error_kind = NULL WHERE id = ?`,
      ),
      liveJob: db.prepare<[string], { id: string }>(
        `SELECT id FROM ocr_queue WHERE document_id = ? AND status IN ('pending', 'processing')`,
      ),
      dropOldJobs: db.prepare(`DELETE FROM ocr_queue WHERE document_id = ? AND status IN ('failed', 'cancelled')`),
      insertJob: db.prepare(
        `INSERT INTO ocr_queue (id, document_id, status, priority, attempts, max_attempts, created_at, file_size, run_after)
         VALUES (?, ?, 'pending', ?, 0, ?, ?, ?, ?)`,
      ),
      paused: db.prepare<[string], { value: string }>('SELECT value FROM settings WHERE key = ?'),
      nextClaimable: db.prepare<[number], { rowid: number; id: string; document_id: string; attempts: number }>(
        `SELECT rowid, id, document_id, attempts FROM ocr_queue
         WHERE status = 'pending' AND run_after <= ?
         ORDER BY priority DESC, created_at, rowid LIMIT 1`,
      ),
      markClaimed: db.prepare(
        `UPDATE ocr_queue SET status = 'processing', started_at = @now, heartbeat_at = @now, worker_id = @worker,
           attempts = attempts + 1, progress_page = NULL, progress_pages = NULL, completed_at = NULL
         WHERE rowid = @rowid`,
      ),
      claimedView: db.prepare<[number], ClaimedJobRaw>(
        `SELECT q.id, q.document_id, d.path, d.kind, q.file_size, q.attempts, q.max_attempts, q.priority
         FROM ocr_queue q JOIN documents d ON d.id = q.document_id WHERE q.rowid = ?`,
      ),
      heldJob: db.prepare<[string, string], { document_id: string; attempts: number; max_attempts: number; started_at: number }>(
        `SELECT document_id, attempts, max_attempts, started_at FROM ocr_queue
         WHERE id = ? AND worker_id = ? AND status = 'processing'`,
      ),
      heartbeat: db.prepare(
        `UPDATE ocr_queue SET heartbeat_at = ? WHERE id = ? AND worker_id = ? AND status = 'processing'`,
      ),
      progress: db.prepare(
        `UPDATE ocr_queue SET heartbeat_at = ?, progress_page = ?, progress_pages = ?
         WHERE id = ? AND worker_id = ? AND status = 'processing'`,
      ),
      completeJob: db.prepare(
        `UPDATE ocr_queue SET status = 'completed', completed_at = ?, processing_time_ms = ?,
           error_message = NULL, error_kind = NULL, heartbeat_at = NULL WHERE id = ?`,
      ),
      completeDoc: db.prepare(
        `UPDATE documents SET ocr_text = @text, confidence = @confidence, page_count = @pageCount,
           ocr_engine = @engine, ocr_languages = @languages, processing_time_ms = @processingTimeMs,
           content_hash = COALESCE(@contentHash, content_hash)
         WHERE id = @id`,
      ),
      deletePages: db.prepare('DELETE FROM document_pages WHERE document_id = ?'),
      insertPage: db.prepare(
        'INSERT INTO document_pages (document_id, page_no, text, confidence, source) VALUES (?, ?, ?, ?, ?)',
      ),
      failJob: db.prepare(
        `UPDATE ocr_queue SET status = 'failed', completed_at = ?, error_message = ?, error_kind = ?,
           heartbeat_at = NULL WHERE id = ?`,
      ),
      retryJob: db.prepare(
        `UPDATE ocr_queue SET status = 'pending', run_after = ?, error_message = ?, error_kind = ?,
           worker_id = NULL, heartbeat_at = NULL WHERE id = ?`,
      ),
      staleJobs: db.prepare<[number], { id: string; attempts: number; max_attempts: number; worker_id: string }>(
        `SELECT id, attempts, max_attempts, worker_id FROM ocr_queue
         WHERE status = 'processing' AND heartbeat_at < ?`,
      ),
      counters: db.prepare<[], { status: JobStatus; n: number }>('SELECT status, n FROM queue_counters'),
      minuteSums: db.prepare<[number, number], { completed_today: number | null }>(
        'SELECT SUM(completed) AS completed_today FROM queue_minute_stats WHERE minute >= ? AND minute <= ?',
      ),
      hourSums: db.prepare<[number], { completed: number | null; started: number | null; wait_ms: number | null }>(
        'SELECT SUM(completed) AS completed, SUM(started) AS started, SUM(wait_ms) AS wait_ms FROM queue_minute_stats WHERE minute >= ?',
      ),
      oldestPending: db.prepare<[], { t: number | null }>(
        `SELECT MIN(created_at) AS t FROM ocr_queue WHERE status = 'pending'`,
      ),
      failures: db.prepare<[], FailureRaw>(
        `SELECT q.id, q.document_id, d.path, q.error_kind, q.error_message, q.attempts, q.completed_at
         FROM ocr_queue q JOIN documents d ON d.id = q.document_id
         WHERE q.status = 'failed' ORDER BY d.path`,
      ),
      jobById: db.prepare<[string], JobRaw>('SELECT * FROM ocr_queue WHERE id = ?'),
      getSetting: db.prepare<[string], { value: string }>('SELECT value FROM settings WHERE key = ?'),
      setSetting: db.prepare(
        'INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value',
      ),
      allSettings: db.prepare<[], { key: string; value: string }>('SELECT key, value FROM settings ORDER BY key'),
      completedByHash: db.prepare<[string], DocRaw & { ocr_engine: string | null; ocr_languages: string | null; processing_time_ms: number | null }>(
        `SELECT * FROM documents WHERE content_hash = ? AND ocr_status = 'completed' AND ocr_text IS NOT NULL LIMIT 1`,
      ),
      pages: db.prepare<[string], { page_no: number; text: string; confidence: number | null; source: PageResult['source'] }>(
        'SELECT page_no, text, confidence, source FROM document_pages WHERE document_id = ? ORDER BY page_no',
      ),
      release: db.prepare(
        `UPDATE ocr_queue SET status = 'pending', attempts = MAX(0, attempts - 1), run_after = @now, worker_id = NULL,
           heartbeat_at = NULL, started_at = NULL, progress_page = NULL, progress_pages = NULL
         WHERE id = @jobId AND worker_id = @workerId AND status = 'processing'`,
      ),
      // The partial index ocr_queue_processing keeps this cheap however long the queue is.
      processing: db.prepare<[number], InProgressRaw>(
        `SELECT q.id, q.document_id, d.path, q.worker_id, q.started_at, q.heartbeat_at, q.attempts,
           q.progress_page, q.progress_pages
         FROM ocr_queue q JOIN documents d ON d.id = q.document_id
         WHERE q.status = 'processing' ORDER BY q.heartbeat_at LIMIT ?`,
      ),
      completedAfter: db.prepare<[string, number], DocRaw>(
        `SELECT * FROM documents WHERE ocr_status = 'completed' AND path > ? ORDER BY path LIMIT ?`,
      ),
    };
  }

  async enqueueBatch(files: readonly FileToEnqueue[]): Promise<EnqueueBatchResult> {
    return this.enqueueBatchSync(files);
  }

  /** A new pending job for a new document (whose row already says pending). Inside a transaction. */
  private insertJobFor(documentId: string, size: number, now: number): void {
    this.s.insertJob.run(uuidv7(now), documentId, priorityForSize(size), this.maxAttempts, now, size, now);
  }

  /**
   * A new pending job for a document that had one before. It supersedes old failed or cancelled
   * rows, so one row always tells the document's state. Inside a transaction, with no live job.
   */
  private replaceJob(documentId: string, size: number, now: number): void {
    this.s.dropOldJobs.run(documentId);
    this.insertJobFor(documentId, size, now);
    this.s.resetDocStatus.run(documentId);
  }

  enqueueBatchSync(files: readonly FileToEnqueue[]): EnqueueBatchResult {
    const s = this.s;
    const now = this.clock.now();
    const outcomes: EnqueueOutcome[] = [];
    const result: EnqueueBatchResult = { enqueued: 0, unchanged: 0, alreadyQueued: 0, outcomes };
    this.db
      .transaction(() => {
        for (const f of files) {
          const mtime = Math.trunc(f.mtimeMs);
          const doc = s.docByPath.get(f.path);
          let outcome: EnqueueOutcome;
          if (!doc) {
            const id = uuidv7(now);
            s.insertDoc.run(id, f.path, f.size, mtime, f.kind, now);
            this.insertJobFor(id, f.size, now);
            outcome = 'enqueued';
          } else if (doc.size === f.size && doc.mtime === mtime) {
            outcome = 'unchanged';
          } else {
            s.updateDocFile.run(f.size, mtime, f.kind, doc.id);
            if (s.liveJob.get(doc.id)) {
              outcome = 'already_queued';
            } else {
              this.replaceJob(doc.id, f.size, now);
              outcome = 'enqueued';
            }
          }
          outcomes.push(outcome);
          if (outcome === 'enqueued') result.enqueued++;
          else if (outcome === 'unchanged') result.unchanged++;
          else result.alreadyQueued++;
        }
      })
      .immediate();
    return result;
  }

  private pausedSync(): boolean {
    const row = this.s.paused.get(PAUSED_KEY);
    return row ? JSON.parse(row.value) === true : false;
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
        };
      })
      .immediate();
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
    const runAfter = now + backoffMs(attempts, this.random, this.backoffBaseMs);
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

  async requeueFailed(filter: RequeueFilter = {}): Promise<number> {
    const where = ["status = 'failed'"];
    const params: Record<string, unknown> = { now: this.clock.now() };
    if (filter.kind) {
      where.push('error_kind = @kind');
      params.kind = filter.kind;
    }
    if (filter.jobId) {
      where.push('id = @jobId');
      params.jobId = filter.jobId;
    }
    return this.db
      .transaction(
        () =>
          this.db
            .prepare(
              `UPDATE ocr_queue SET status = 'pending', attempts = 0, run_after = @now, error_message = NULL,
                 error_kind = NULL, worker_id = NULL, started_at = NULL, completed_at = NULL, heartbeat_at = NULL
               WHERE ${where.join(' AND ')}`,
            )
            .run(params).changes,
      )
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

  async stats(): Promise<QueueStats> {
    return this.statsSync();
  }

  statsSync(): QueueStats {
    const s = this.s;
    return this.db.transaction((): QueueStats => {
      const now = this.clock.now();
      const c: Record<JobStatus, number> = { pending: 0, processing: 0, completed: 0, failed: 0, cancelled: 0 };
      for (const row of s.counters.all()) c[row.status] = row.n;
      const nowMinute = Math.floor(now / 60_000);
      const today = s.minuteSums.get(Math.floor(startOfLocalDay(now) / 60_000), nowMinute)!;
      const hour = s.hourSums.get(nowMinute - 59)!;
      const oldest = s.oldestPending.get()!.t;
      const started = hour.started ?? 0;
      return {
        pending: c.pending,
        processing: c.processing,
        failed: c.failed,
        completed_today: today.completed_today ?? 0,
        avg_wait_time_minutes: started > 0 ? round2((hour.wait_ms ?? 0) / started / 60_000) : 0,
        oldest_pending_minutes: oldest === null ? 0 : round2(Math.max(0, now - oldest) / 60_000),
        completed: c.completed,
        cancelled: c.cancelled,
        completed_last_hour: hour.completed ?? 0,
        paused: this.pausedSync(),
        in_progress: c.processing > 0 ? s.processing.all(IN_PROGRESS_LIMIT).map(toInProgress) : [],
      };
    })();
  }

  async listFailures(): Promise<FailureRow[]> {
    return this.s.failures.all().map((r) => ({
      jobId: r.id,
      documentId: r.document_id,
      path: r.path,
      kind: (r.error_kind as FailureRow['kind']) ?? null,
      message: r.error_message,
      attempts: r.attempts,
      failedAt: r.completed_at,
    }));
  }

  async getDocumentByPath(path: string): Promise<DocumentRow | null> {
    const r = this.s.docByPath.get(path);
    return r ? toDocument(r) : null;
  }

  async getDocument(id: string): Promise<DocumentRow | null> {
    const r = this.s.docById.get(id);
    return r ? toDocument(r) : null;
  }

  async getJob(id: string): Promise<JobRow | null> {
    const r = this.s.jobById.get(id);
    return r ? toJob(r) : null;
  }

  async findCompletedByHash(contentHash: string): Promise<OcrResult | null> {
    const d = this.s.completedByHash.get(contentHash);
    if (!d) return null;
    const pages = this.pagesSync(d.id);
    return {
      text: d.ocr_text ?? '',
      pages,
      confidence: d.confidence,
      engine: d.ocr_engine ?? 'unknown',
      languages: d.ocr_languages ?? '',
      processingTimeMs: d.processing_time_ms ?? 0,
      contentHash,
    };
  }

  async release(jobId: string, workerId: string): Promise<boolean> {
    return this.db
      .transaction(() => this.s.release.run({ now: this.clock.now(), jobId, workerId }).changes === 1)
      .immediate();
  }

  async listProcessing(limit = 1000): Promise<InProgressJob[]> {
    return this.s.processing.all(limit).map(toInProgress);
  }


  async getPages(documentId: string): Promise<PageResult[]> {
    return this.pagesSync(documentId);
  }

  private pagesSync(documentId: string): PageResult[] {
    return this.s.pages.all(documentId).map((p) => ({ pageNo: p.page_no, text: p.text, confidence: p.confidence, source: p.source }));
  }

  async listCompleted(afterPath: string | null, limit: number): Promise<DocumentRow[]> {
    return this.s.completedAfter.all(afterPath ?? '', limit).map(toDocument);
  }

  async getSetting(key: string): Promise<unknown> {
    const row = this.s.getSetting.get(key);
    return row ? JSON.parse(row.value) : undefined;
  }

  async setSetting(key: string, value: unknown): Promise<void> {
    this.s.setSetting.run(key, JSON.stringify(value));
  }

  async listSettings(): Promise<Record<string, unknown>> {
    const out: Record<string, unknown> = {};
    for (const row of this.s.allSettings.all()) out[row.key] = JSON.parse(row.value);
    return out;
  }

  async addWatchedFolder(folder: NewWatchedFolder): Promise<WatchedFolder> {
    return this.w.addWatchedFolder(folder);
  }

  async removeWatchedFolder(path: string): Promise<boolean> {
    return this.w.removeWatchedFolder(path);
  }

  async listWatchedFolders(): Promise<WatchedFolder[]> {
    return this.w.listWatchedFolders();
  }

  async setWatchedFolderState(path: string, state: WatchedFolderState, message: string | null, scanned = false): Promise<void> {
    this.w.setWatchedFolderState(path, state, message, scanned);
  }

  async listDocumentsUnder(dir: string): Promise<DocumentFileRow[]> {
    return this.w.listDocumentsUnder(dir);
  }

  async setSourceMissing(paths: readonly string[], missing: boolean): Promise<number> {
    return this.w.setSourceMissing(paths, missing);
  }

  async cancelPendingForPaths(paths: readonly string[]): Promise<number> {
    return this.w.cancelPendingForPaths(paths);
  }

  async hasMissingDocumentOfSize(size: number): Promise<boolean> {
    return this.w.hasMissingDocumentOfSize(size);
  }

  async findDocumentsByContentHash(hash: string): Promise<DocumentFileRow[]> {
    return this.w.findDocumentsByContentHash(hash);
  }

  async moveDocument(id: string, newPath: string, size: number, mtimeMs: number): Promise<boolean> {
    return this.w.moveDocument(id, newPath, size, mtimeMs);
  }

  async updateDocumentFiles(files: readonly DocumentFileFacts[]): Promise<number> {
    return this.w.updateDocumentFiles(files);
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
          this.replaceJob(doc.id, doc.size, now);
          n++;
        }
        return n;
      })
      .immediate();
  }

  async listJobs(query: JobListQuery): Promise<JobPage> {
    return this.listings.listJobs(query);
  }

  async failureGroups(): Promise<FailureGroup[]> {
    return this.listings.failureGroups();
  }

  async search(query: string, limit: number): Promise<SearchHit[]> {
    return this.listings.search(query, limit);
  }

  async listProcessingRows(): Promise<JobListRow[]> {
    return this.listings.listProcessing();
  }

  async throughput(sinceMinute: number): Promise<MinuteCount[]> {
    return this.listings.throughput(sinceMinute);
  }

  async close(): Promise<void> {
    if (this.db.open) this.db.close();
  }
}

interface ClaimedJobRaw {
  id: string;
  document_id: string;
  path: string;
  kind: string;
  file_size: number;
  attempts: number;
  max_attempts: number;
  priority: number;
}

interface FailureRaw {
  id: string;
  document_id: string;
  path: string;
  error_kind: string | null;
  error_message: string | null;
  attempts: number;
  completed_at: number | null;
}



function round2(x: number): number {
  return Math.round(x * 100) / 100;
}
