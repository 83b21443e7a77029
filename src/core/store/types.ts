/**
 * The JobStore seam: every queue operation is one method here, implemented once per database
 * (SQLite now, PostgreSQL later) and exercised by one contract test suite. Methods are async so
 * a networked store fits the same shape; the SQLite adapter answers synchronously inside.
 */
import type { ErrorKind } from '../errors';

export type JobStatus = 'pending' | 'processing' | 'completed' | 'failed' | 'cancelled';
export const JOB_STATUSES: readonly JobStatus[] = ['pending', 'processing', 'completed', 'failed', 'cancelled'];

/** A file found by ingest or a watcher, about to become a document and a job. */
export interface FileToEnqueue {
  path: string; // absolute
  size: number;
  mtimeMs: number;
  kind: string; // mime type
}

export type EnqueueOutcome = 'enqueued' | 'unchanged' | 'already_queued';

export interface EnqueueBatchResult {
  enqueued: number;
  unchanged: number;
  /** Changed files whose document already had a live (pending or processing) job. */
  alreadyQueued: number;
  /** One outcome per input file, in input order. */
  outcomes: EnqueueOutcome[];
}

export interface ClaimedJob {
  jobId: string;
  documentId: string;
  path: string;
  kind: string;
  fileSize: number;
  attempts: number; // including this one
  maxAttempts: number;
  priority: number;
}

export interface PageResult {
  pageNo: number; // 1-based
  text: string;
  confidence: number | null; // 0-100, null for extracted text
  source: 'ocr' | 'text_layer';
}

export interface OcrResult {
  text: string; // pages joined by form feed
  pages: PageResult[];
  confidence: number | null; // mean over OCR'd pages
  engine: string;
  languages: string;
  processingTimeMs: number;
  contentHash: string | null;
}

export interface JobFailure {
  message: string;
  kind: ErrorKind;
}

export type FailOutcome =
  | { status: 'rejected' } // the worker no longer holds the job
  | { status: 'retry'; runAfter: number }
  | { status: 'failed' };

export interface StaleRecovery {
  requeued: number;
  failed: number;
}

export interface RequeueFilter {
  jobId?: string;
  kind?: ErrorKind;
}

export type CancelFilter = { jobId: string } | { allPending: true };

export interface QueueStats {
  // The seed's keys, exactly.
  pending: number;
  processing: number;
  failed: number;
  completed_today: number;
  avg_wait_time_minutes: number;
  oldest_pending_minutes: number;
  // Ours.
  completed: number;
  cancelled: number;
  completed_last_hour: number;
  paused: boolean;
}

export interface FailureRow {
  jobId: string;
  documentId: string;
  path: string;
  kind: ErrorKind | null;
  message: string | null;
  attempts: number;
  failedAt: number | null;
}

export interface DocumentRow {
  id: string;
  path: string;
  size: number;
  mtimeMs: number;
  kind: string;
  contentHash: string | null;
  ocrStatus: JobStatus;
  ocrError: string | null;
  ocrErrorKind: string | null;
  ocrCompletedAt: number | null;
  pageCount: number | null;
  confidence: number | null;
  text: string | null;
}

export interface JobRow {
  id: string;
  documentId: string;
  status: JobStatus;
  priority: number;
  attempts: number;
  maxAttempts: number;
  createdAt: number;
  startedAt: number | null;
  completedAt: number | null;
  runAfter: number;
  heartbeatAt: number | null;
  workerId: string | null;
  errorMessage: string | null;
  errorKind: string | null;
  processingTimeMs: number | null;
  fileSize: number;
}

// ---- Listings for the UI (jobs table, failure groups, documents, search, workers, throughput). ----

export type JobSort = 'created_desc' | 'created_asc' | 'path_asc' | 'path_desc';
export const JOB_SORTS: readonly JobSort[] = ['created_desc', 'created_asc', 'path_asc', 'path_desc'];

export interface JobListQuery {
  status?: JobStatus;
  /** Error kind of the job's last failure (failed jobs, and pending jobs waiting to retry). */
  kind?: ErrorKind;
  /** Absolute folder: only jobs for files under it. */
  folder?: string;
  /** Case-insensitive substring of the file path. */
  pathSearch?: string;
  sort: JobSort;
  /** Opaque keyset cursor from the previous page's `next`. */
  after?: string;
  limit: number;
}

export interface JobListRow {
  id: string;
  documentId: string;
  path: string;
  status: JobStatus;
  priority: number;
  attempts: number;
  maxAttempts: number;
  createdAt: number;
  startedAt: number | null;
  completedAt: number | null;
  errorKind: string | null;
  errorMessage: string | null;
  fileSize: number;
  processingTimeMs: number | null;
  workerId: string | null;
  progressPage: number | null;
  progressPages: number | null;
}

export interface JobPage {
  rows: JobListRow[];
  /** Cursor for the next page, null at the end. */
  next: string | null;
}

export interface FailureGroup {
  kind: ErrorKind | null;
  count: number;
}

export interface SearchHit {
  documentId: string;
  path: string;
  /** Text around the match; the matched words are wrapped in \u0002 ... \u0003 (safe to split on, never HTML). */
  snippet: string;
  pageCount: number | null;
}

export interface MinuteCount {
  minute: number; // floor(ms / 60000)
  completed: number;
}

export interface JobStore {
  /** One transaction for the whole batch. */
  enqueueBatch(files: readonly FileToEnqueue[]): Promise<EnqueueBatchResult>;
  /** Atomically take the best claimable job, or null (empty, all backing off, or paused). */
  claim(workerId: string): Promise<ClaimedJob | null>;
  /** Renew the lease. False when the worker no longer holds the job. */
  heartbeat(jobId: string, workerId: string): Promise<boolean>;
  /** Record page progress (also renews the lease). False when the worker no longer holds the job. */
  progress(jobId: string, workerId: string, page: number, pages: number): Promise<boolean>;
  /** Job and document in one transaction. False (and nothing written) when the worker no longer holds the job. */
  complete(jobId: string, workerId: string, result: OcrResult): Promise<boolean>;
  fail(jobId: string, workerId: string, failure: JobFailure): Promise<FailOutcome>;
  /** Processing jobs whose heartbeat is older than leaseMs go back to pending (or fail when out of attempts). */
  recoverStale(leaseMs: number): Promise<StaleRecovery>;
  /** Failed jobs back to pending with attempts reset. Returns how many. */
  requeueFailed(filter?: RequeueFilter): Promise<number>;
  cancel(filter: CancelFilter): Promise<number>;
  setPaused(paused: boolean): Promise<void>;
  isPaused(): Promise<boolean>;
  /** Delete completed job rows older than `olderThanMs` ago; documents keep status and text. */
  cleanup(olderThanMs: number): Promise<number>;
  stats(): Promise<QueueStats>;
  listFailures(): Promise<FailureRow[]>;
  getDocumentByPath(path: string): Promise<DocumentRow | null>;
  getDocument(id: string): Promise<DocumentRow | null>;
  getJob(id: string): Promise<JobRow | null>;
  getSetting(key: string): Promise<unknown>;
  setSetting(key: string, value: unknown): Promise<void>;
  listSettings(): Promise<Record<string, unknown>>;
  // Added for the UI (issue 5).
  /** One page of jobs, keyset-paginated (no OFFSET), newest first by default. */
  listJobs(query: JobListQuery): Promise<JobPage>;
  /** Failed jobs counted per error kind, largest group first. */
  failureGroups(): Promise<FailureGroup[]>;
  /** A document's pages in order (empty until it completed). */
  documentPages(documentId: string): Promise<PageResult[]>;
  /** Full-text search over completed documents' text. `query` is plain words, not FTS syntax. */
  search(query: string, limit: number): Promise<SearchHit[]>;
  /** Jobs being processed right now, with the worker and page each is on. */
  listProcessing(): Promise<JobListRow[]>;
  /** Completed jobs per minute since `sinceMinute` (minutes with none are left out). */
  throughput(sinceMinute: number): Promise<MinuteCount[]>;
  close(): Promise<void>;
}

export const DEFAULT_MAX_ATTEMPTS = 3;
