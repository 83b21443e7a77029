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
import pg from 'pg';
import type { Clock } from '../../clock';
import { startOfLocalDay, systemClock } from '../../clock';
import { isPermanent } from '../../../shared/errors';
import { BACKOFF_BASE_MS, backoffMs } from '../../queue/backoff';
import type { Migration } from '../migrations';
import type { CancelFilter, ClaimedJob, DocumentFileFacts, DocumentFileRow, NewWatchedFolder, WatchedFolder, WatchedFolderState, EnqueueBatchResult, FailOutcome, FileToEnqueue, JobFailure, JobStore, RequeueFilter, StaleRecovery } from '../types';
import type { DocumentRow, JobRow } from '../../../shared/jobs';
import type { FailureGroup, JobListQuery, JobListRow, JobPage, SearchHit, FailureRow } from '../../../shared/listings';
import type { InProgressJob, MinuteCount, QueueStats } from '../../../shared/stats';
import type { PageResult, OcrResult } from '../../../shared/results';
import { DEFAULT_MAX_ATTEMPTS } from '../types';
import { IN_PROGRESS_LIMIT } from '../../../shared/stats';
import { describePgError, isConnectionError, prepared, type Queryable, redactUrl, TYPES } from './connection';
import { changedDocumentIds, type KnownDocument, planEnqueue } from './enqueue-plan';
import type { PgContext } from './context';
import { PgListings } from './listings';
import { migratePostgres } from './migrate';
import { type DocRaw, type InProgressRaw, type JobRaw, toDocument, toInProgress, toJob } from '../rows';
import { PgWatch } from './watch';
import * as SQL from './sql';

export interface PgStoreOptions {
  url: string;
  migrations: readonly Migration[];
  clock?: Clock;
  random?: () => number;
  maxAttempts?: number;
  /** Base retry delay (default BACKOFF_BASE_MS, 10 s); tests shorten it. */
  backoffBaseMs?: number;
  /** Connections in the pool (default 4): one host's callers rarely hold more than a few at once. */
  poolSize?: number;
  /**
   * Wait for the WAL flush at every commit (PostgreSQL's default). Off by default: the same
   * promise as the SQLite store's synchronous=NORMAL. A crash of the database server's machine
   * can lose the last fraction of a second of commits, never corrupt anything; lost claims or
   * completions come back through stale recovery and are redone. With a flush per commit, a
   * worker's claim+complete cycle waits for two disk flushes (one worker: 67-476 cycles/s
   * against ~1,200-1,400 without, on the build machine; docs/notes-pg.md).
   */
  synchronousCommit?: boolean;
}

const PAUSED_KEY = 'queue_paused';
const COMPACT_EVERY = 5000;


export class PgJobStore implements JobStore {
  readonly pool: pg.Pool;
  readonly where: string;
  private readonly clock: Clock;
  private readonly random: () => number;
  private readonly maxAttempts: number;
  private readonly backoffBaseMs: number;
  private readonly watch: PgWatch;
  private readonly listings: PgListings;
  private readonly ready: Promise<void>;
  private closed = false;
  private completions = 0;

  constructor(opts: PgStoreOptions) {
    this.clock = opts.clock ?? systemClock;
    this.random = opts.random ?? Math.random;
    this.maxAttempts = opts.maxAttempts ?? DEFAULT_MAX_ATTEMPTS;
    this.backoffBaseMs = opts.backoffBaseMs ?? BACKOFF_BASE_MS;
    const ctx: PgContext = {
      q: (sql, params) => this.q(sql, params),
      read: (sql, params) => this.read(sql, params),
      readPlanned: (sql, params) => this.read(sql, params, false),
      tx: (fn) => this.tx(fn),
      now: () => this.clock.now(),
    };
    this.watch = new PgWatch(ctx, this.maxAttempts);
    this.listings = new PgListings(ctx);
    this.where = redactUrl(opts.url);
    this.pool = new pg.Pool({
      connectionString: opts.url,
      max: opts.poolSize ?? 4,
      types: TYPES,
      // Notice a server that went away (half-open TCP) and never wait forever for a connection.
      keepAlive: true,
      connectionTimeoutMillis: 15_000,
      // A startup parameter, so it costs no round trip (an `options` in the URL takes precedence).
      ...(opts.synchronousCommit ? {} : { options: '-c synchronous_commit=off' }),
    });
    // An idle client that loses its connection emits 'error' on the pool; without a listener
    // that would crash the process. The next query gets a fresh connection.
    this.pool.on('error', () => {});
    this.ready = this.init(opts.migrations);
    this.ready.catch(() => {}); // reported to whoever calls an operation, not as an unhandled rejection
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

  private async init(migrations: readonly Migration[]): Promise<void> {
    let client: pg.PoolClient | undefined;
    try {
      client = await this.pool.connect();
      await migratePostgres(client, migrations, this.where, this.clock.now());
    } catch (err) {
      throw describePgError(err, this.where);
    } finally {
      client?.release();
    }
  }

  private async q<R extends pg.QueryResultRow>(sql: string, params: unknown[] = [], named = true): Promise<pg.QueryResult<R>> {
    await this.ready;
    return this.pool.query<R>(named ? prepared(sql, params) : { text: sql, values: params });
  }

  /**
   * A read (or an idempotent fold) retried on a broken connection: after a database
   * restart every idle pooled connection fails its next query, and a stats poll should not.
   * Writes are not retried here: whether a lost reply's statement committed is the caller's
   * question (docs/notes-pg.md, connection loss).
   */
  private async read<R extends pg.QueryResultRow>(sql: string, params: unknown[] = [], named = true): Promise<pg.QueryResult<R>> {
    // Each dead idle connection fails once and leaves the pool: at most one retry per connection.
    for (let attempt = 0; ; attempt++) {
      try {
        return await this.q<R>(sql, params, named);
      } catch (err) {
        if (!isConnectionError(err) || attempt >= this.pool.options.max) throw err;
      }
    }
  }

  /** One transaction on one pooled connection; a failed COMMIT or ROLLBACK discards the connection. */
  private async tx<T>(fn: (c: Queryable) => Promise<T>): Promise<T> {
    await this.ready;
    const client = await this.pool.connect();
    let broken: Error | undefined;
    const run: Queryable = { query: (sql, params = []) => client.query(prepared(sql, params)) };
    try {
      await client.query('BEGIN');
      const out = await fn(run);
      await client.query('COMMIT');
      return out;
    } catch (err) {
      await client.query('ROLLBACK').catch((e: Error) => {
        broken = e;
      });
      throw err;
    } finally {
      client.release(broken);
    }
  }

  async enqueueBatch(files: readonly FileToEnqueue[]): Promise<EnqueueBatchResult> {
    if (files.length === 0) return { enqueued: 0, unchanged: 0, alreadyQueued: 0, outcomes: [] };
    const now = this.clock.now();
    return this.tx(async (c) => {
      await c.query(SQL.ENQUEUE_LOCK);
      const paths = [...new Set(files.map((f) => f.path))];
      const known = new Map<string, KnownDocument>();
      for (const r of (await c.query<{ id: string; path: string; size: number; mtime: number }>(SQL.DOCS_BY_PATHS, [paths])).rows) {
        known.set(r.path, { id: r.id, size: r.size, mtime: r.mtime, live: false });
      }
      const changed = changedDocumentIds(files, known);
      if (changed.length) {
        const live = new Set((await c.query<{ document_id: string }>(SQL.LIVE_JOBS_OF, [changed])).rows.map((r) => r.document_id));
        for (const d of known.values()) d.live = live.has(d.id);
      }
      const { result, newDocs: d, docUpdates: u, supersede, jobs } = planEnqueue(files, known);
      if (d.length) {
        await c.query(SQL.INSERT_DOCS, [d.map((x) => x.id), d.map((x) => x.path), d.map((x) => x.size), d.map((x) => x.mtime), d.map((x) => x.kind), now]);
      }
      if (u.length) await c.query(SQL.UPDATE_DOC_FILES, [u.map((x) => x.id), u.map((x) => x.size), u.map((x) => x.mtime), u.map((x) => x.kind)]);
      if (supersede.length) await c.query(SQL.DROP_OLD_JOBS, [supersede]);
      if (jobs.length) {
        const inserted = await c.query<{ id: string }>(SQL.INSERT_JOBS, [
          jobs.map((j) => j.id),
          jobs.map((j) => j.documentId),
          jobs.map((j) => j.priority),
          jobs.map((j) => j.size),
          this.maxAttempts,
          now,
        ]);
        // A job another host made live meanwhile (requeueFailed on an old job of the same
        // document) wins: this file is then already queued, not an error for the whole batch.
        if (inserted.rows.length !== jobs.length) {
          const ok = new Set(inserted.rows.map((r) => r.id));
          for (const j of jobs) {
            if (ok.has(j.id)) continue;
            result.outcomes[j.index] = 'already_queued';
            result.enqueued--;
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
    };
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
    const runAfter = now + backoffMs(attempts, this.random, this.backoffBaseMs);
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

  async requeueFailed(filter: RequeueFilter = {}): Promise<number> {
    const params: unknown[] = [this.clock.now()];
    if (filter.kind) params.push(filter.kind);
    if (filter.jobId) params.push(filter.jobId);
    return (await this.q(SQL.requeueFailedSql(Boolean(filter.kind), Boolean(filter.jobId)), params)).rowCount ?? 0;
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

  async stats(): Promise<QueueStats> {
    const now = this.clock.now();
    await this.read(SQL.COMPACT_STATS);
    const nowMinute = Math.floor(now / 60_000);
    const r = (
      await this.read<{
        pending: number;
        processing: number;
        completed: number;
        failed: number;
        cancelled: number;
        completed_today: number;
        completed_hour: number;
        started_hour: number;
        wait_ms_hour: number;
        oldest_pending: number | null;
        paused: boolean;
      }>(SQL.STATS, [Math.floor(startOfLocalDay(now) / 60_000), nowMinute])
    ).rows[0]!;
    return {
      pending: r.pending,
      processing: r.processing,
      failed: r.failed,
      completed_today: r.completed_today,
      avg_wait_time_minutes: r.started_hour > 0 ? round2(r.wait_ms_hour / r.started_hour / 60_000) : 0,
      oldest_pending_minutes: r.oldest_pending === null ? 0 : round2(Math.max(0, now - r.oldest_pending) / 60_000),
      completed: r.completed,
      cancelled: r.cancelled,
      completed_last_hour: r.completed_hour,
      paused: r.paused,
      in_progress: r.processing > 0 ? await this.listProcessing(IN_PROGRESS_LIMIT) : [],
    };
  }

  async listFailures(): Promise<FailureRow[]> {
    const rows = (
      await this.read<{
        id: string;
        document_id: string;
        path: string;
        error_kind: string | null;
        error_message: string | null;
        attempts: number;
        completed_at: number | null;
      }>(SQL.FAILURES)
    ).rows;
    return rows.map((r) => ({
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
    const r = (await this.read<DocRaw>(SQL.DOC_BY_PATH, [path])).rows[0];
    return r ? toDocument(r) : null;
  }

  async getDocument(id: string): Promise<DocumentRow | null> {
    const r = (await this.read<DocRaw>(SQL.DOC_BY_ID, [id])).rows[0];
    return r ? toDocument(r) : null;
  }

  async getJob(id: string): Promise<JobRow | null> {
    const r = (await this.read<JobRaw>(SQL.JOB_BY_ID, [id])).rows[0];
    return r ? toJob(r) : null;
  }

  async getSetting(key: string): Promise<unknown> {
    const r = (await this.read<{ value: string }>(SQL.GET_SETTING, [key])).rows[0];
    return r ? JSON.parse(r.value) : undefined;
  }

  async setSetting(key: string, value: unknown): Promise<void> {
    await this.q(SQL.SET_SETTING, [key, JSON.stringify(value)]);
  }

  async listSettings(): Promise<Record<string, unknown>> {
    const out: Record<string, unknown> = {};
    for (const r of (await this.read<{ key: string; value: string }>(SQL.ALL_SETTINGS)).rows) out[r.key] = JSON.parse(r.value);
    return out;
  }

  async findCompletedByHash(contentHash: string): Promise<OcrResult | null> {
    const d = (
      await this.read<{
        id: string;
        ocr_text: string | null;
        confidence: number | null;
        ocr_engine: string | null;
        ocr_languages: string | null;
        processing_time_ms: number | null;
      }>(SQL.COMPLETED_BY_HASH, [contentHash])
    ).rows[0];
    if (!d) return null;
    return {
      text: d.ocr_text ?? '',
      pages: await this.getPages(d.id),
      confidence: d.confidence,
      engine: d.ocr_engine ?? 'unknown',
      languages: d.ocr_languages ?? '',
      processingTimeMs: d.processing_time_ms ?? 0,
      contentHash,
    };
  }

  async release(jobId: string, workerId: string): Promise<boolean> {
    return (await this.q(SQL.RELEASE, [this.clock.now(), jobId, workerId])).rowCount === 1;
  }

  async listProcessing(limit = 1000): Promise<InProgressJob[]> {
    return (await this.read<InProgressRaw>(SQL.PROCESSING, [limit])).rows.map(toInProgress);
  }

  async getPages(documentId: string): Promise<PageResult[]> {
    const rows = (
      await this.read<{ page_no: number; text: string; confidence: number | null; source: PageResult['source'] }>(SQL.PAGES, [documentId])
    ).rows;
    return rows.map((p) => ({ pageNo: p.page_no, text: p.text, confidence: p.confidence, source: p.source }));
  }

  async listCompleted(afterPath: string | null, limit: number): Promise<DocumentRow[]> {
    return (await this.read<DocRaw>(SQL.COMPLETED_AFTER, [afterPath ?? '', limit])).rows.map(toDocument);
  }

  async addWatchedFolder(folder: NewWatchedFolder): Promise<WatchedFolder> {
    return this.watch.addWatchedFolder(folder);
  }

  async removeWatchedFolder(path: string): Promise<boolean> {
    return this.watch.removeWatchedFolder(path);
  }

  async listWatchedFolders(): Promise<WatchedFolder[]> {
    return this.watch.listWatchedFolders();
  }

  async setWatchedFolderState(path: string, state: WatchedFolderState, message: string | null, scanned = false): Promise<void> {
    return this.watch.setWatchedFolderState(path, state, message, scanned);
  }

  async listDocumentsUnder(dir: string): Promise<DocumentFileRow[]> {
    return this.watch.listDocumentsUnder(dir);
  }

  async setSourceMissing(paths: readonly string[], missing: boolean): Promise<number> {
    return this.watch.setSourceMissing(paths, missing);
  }

  async cancelPendingForPaths(paths: readonly string[]): Promise<number> {
    return this.watch.cancelPendingForPaths(paths);
  }

  async hasMissingDocumentOfSize(size: number): Promise<boolean> {
    return this.watch.hasMissingDocumentOfSize(size);
  }

  async findDocumentsByContentHash(hash: string): Promise<DocumentFileRow[]> {
    return this.watch.findDocumentsByContentHash(hash);
  }

  async moveDocument(id: string, newPath: string, size: number, mtimeMs: number): Promise<boolean> {
    return this.watch.moveDocument(id, newPath, size, mtimeMs);
  }

  async updateDocumentFiles(files: readonly DocumentFileFacts[]): Promise<number> {
    return this.watch.updateDocumentFiles(files);
  }

  async requeueDocuments(paths: readonly string[]): Promise<number> {
    return this.watch.requeueDocuments(paths);
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
    if (this.closed) return;
    this.closed = true;
    await this.ready.catch(() => {});
    await this.pool.end();
  }
}

function round2(x: number): number {
  return Math.round(x * 100) / 100;
}
