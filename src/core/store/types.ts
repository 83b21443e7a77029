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
  /** Jobs being processed now, with page progress ("page 3 of 40"); at most IN_PROGRESS_LIMIT, oldest first. */
  in_progress: InProgressJob[];
}

export const IN_PROGRESS_LIMIT = 64;

export interface InProgressJob {
  jobId: string;
  documentId: string;
  path: string;
  workerId: string | null;
  startedAt: number | null;
  heartbeatAt: number | null;
  attempts: number;
  page: number | null;
  pages: number | null;
}

export interface SearchHit {
  documentId: string;
  path: string;
  /** Text around the match; the matched words are wrapped in \u0002 ... \u0003 (safe to split on, never HTML). */
  snippet: string;
  pageCount: number | null;
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
  /** The file at `path` was deleted or moved away; the document and its text are kept. */
  sourceMissing: boolean;
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

export type WatchedFolderState = 'stopped' | 'scanning' | 'watching' | 'polling' | 'unavailable' | 'error';
export const WATCHED_FOLDER_STATES: readonly WatchedFolderState[] = [
  'stopped',
  'scanning',
  'watching',
  'polling',
  'unavailable',
  'error',
];

export interface WatchedFolderOutputs {
  txt: boolean;
  pdf: boolean;
  /** Absolute; null writes each output next to its source. */
  dir: string | null;
}

export interface NewWatchedFolder {
  path: string; // absolute
  poll: boolean;
  ignore: string[];
  outputs: WatchedFolderOutputs;
}

export interface WatchedFolder extends NewWatchedFolder {
  id: string;
  state: WatchedFolderState;
  stateMessage: string | null;
  stateChangedAt: number | null;
  lastScanAt: number | null;
  addedAt: number;
}

export interface DocumentFileFacts {
  path: string;
  size: number;
  mtimeMs: number;
  contentHash: string | null;
}

/** What a watcher needs to know about a document to decide whether a file needs a job. */
export interface DocumentFileRow {
  id: string;
  path: string;
  size: number;
  mtimeMs: number;
  contentHash: string | null;
  ocrStatus: JobStatus;
  sourceMissing: boolean;
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
  /** The result of an already completed document whose file has this sha256, for dedupe. */
  findCompletedByHash(contentHash: string): Promise<OcrResult | null>;
  /** Give a held job back to pending without counting the attempt (shutdown, dead host). */
  release(jobId: string, workerId: string): Promise<boolean>;
  /** Processing jobs, oldest first (the pool's liveness check, stats' in_progress). */
  listProcessing(limit?: number): Promise<InProgressJob[]>;
  /** Full-text search over completed documents; words are matched as terms, not query syntax. */
  search(query: string, limit: number): Promise<SearchHit[]>;
  getPages(documentId: string): Promise<PageResult[]>;
  /** Completed documents ordered by path, `limit` at a time after `afterPath` (keyset paging). */
  listCompleted(afterPath: string | null, limit: number): Promise<DocumentRow[]>;
  getSetting(key: string): Promise<unknown>;
  setSetting(key: string, value: unknown): Promise<void>;
  listSettings(): Promise<Record<string, unknown>>;

  // Watched folders (issue 4).
  /** Throws QuireError 'already_watched' when the path is already a watched folder. */
  addWatchedFolder(folder: NewWatchedFolder): Promise<WatchedFolder>;
  /** False when no watched folder has that path. Documents are kept. */
  removeWatchedFolder(path: string): Promise<boolean>;
  listWatchedFolders(): Promise<WatchedFolder[]>;
  /** Records what a running host sees; `scanned` also stamps last_scan_at. */
  setWatchedFolderState(path: string, state: WatchedFolderState, message: string | null, scanned?: boolean): Promise<void>;
  /** Documents whose path lies under `dir` (any depth), for reconciliation. */
  listDocumentsUnder(dir: string): Promise<DocumentFileRow[]>;
  /** Sets or clears documents.source_missing for these paths. Returns how many changed. */
  setSourceMissing(paths: readonly string[], missing: boolean): Promise<number>;
  /** Cancels the pending jobs of documents at these paths (their files are gone). Returns how many. */
  cancelPendingForPaths(paths: readonly string[]): Promise<number>;
  /** Is there a document marked missing with this file size? (Cheap test before hashing a new file.) */
  hasMissingDocumentOfSize(size: number): Promise<boolean>;
  /** Documents whose content hash is `hash`, completed ones first. */
  findDocumentsByContentHash(hash: string): Promise<DocumentFileRow[]>;
  /**
   * A file was renamed or moved: the document takes the new path and file facts and keeps its
   * results and jobs; source_missing is cleared. False when `newPath` already has a document.
   */
  moveDocument(id: string, newPath: string, size: number, mtimeMs: number): Promise<boolean>;
  /**
   * Records the file facts (and hash, when not null) of the documents at these paths without
   * touching their jobs: content unchanged after a touch, or the hashes of files just enqueued.
   * Clears source_missing. One transaction; returns how many documents were updated.
   */
  updateDocumentFiles(files: readonly DocumentFileFacts[]): Promise<number>;
  /**
   * A new pending job for each document at these paths that has no live job (a deleted file came
   * back unchanged after its job was cancelled). Old failed/cancelled rows are superseded. Returns how many.
   */
  requeueDocuments(paths: readonly string[]): Promise<number>;

  // Added for the UI (issue 5).
  /** One page of jobs, keyset-paginated (no OFFSET), newest first by default. */
  listJobs(query: JobListQuery): Promise<JobPage>;
  /** Failed jobs counted per error kind, largest group first. */
  failureGroups(): Promise<FailureGroup[]>;
  /** Jobs being processed right now, as job-table rows (worker and page each is on). */
  listProcessingRows(): Promise<JobListRow[]>;
  /** Completed jobs per minute since `sinceMinute` (minutes with none are left out). */
  throughput(sinceMinute: number): Promise<MinuteCount[]>;
  close(): Promise<void>;
}

export const DEFAULT_MAX_ATTEMPTS = 3;
