/**
 * The store seam: the words only the store and its callers use (the shared vocabulary is in
 * src/shared), and the role interfaces below. Methods are async so a networked store fits the same
 * shape; the SQLite adapter answers synchronously inside.
 */
import type { DocumentRow, JobRow, JobStatus } from '../../shared/jobs';
import type { FailureGroup, FailureRow, JobListQuery, JobListRow, JobPage, SearchHit } from '../../shared/listings';
import type { OcrResult, PageResult } from '../../shared/results';
import type { HostWorkers, InProgressJob, MinuteCount, QueueStats } from '../../shared/stats';
import type { ErrorKind } from '../../shared/errors';
import type { PathTally, SkippedList, SkipReason } from '../../shared/skipped';

/** A file found by ingest or a watcher, about to become a document and a job. */
export interface FileToEnqueue {
  path: string; // absolute
  size: number;
  mtimeMs: number;
  kind: string; // mime type
  /**
   * OCR languages for its job ('deu+eng', already checked); absent: the ocr_languages setting.
   * Given for a file already done with other languages (or queued with other ones), the file is
   * queued again with these (or its pending job takes them).
   */
  languages?: string;
}

/** 'requeued': an unchanged file whose job had been cancelled gets a new pending job. */
export type EnqueueOutcome = 'enqueued' | 'unchanged' | 'already_queued' | 'requeued';

export interface EnqueueBatchResult {
  enqueued: number;
  unchanged: number;
  /** Changed files whose document already had a live (pending or processing) job. */
  alreadyQueued: number;
  /** Unchanged files whose job had been cancelled, queued again (added again = wanted again). */
  requeued: number;
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
  /** The job's own OCR languages; null: the ocr_languages setting. */
  languages: string | null;
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

export type RequeueStatus = 'failed' | 'cancelled';

/** Which finished jobs to put back in the queue; every given field narrows the selection. */
export interface RequeueFilter {
  /** Default: ['failed']. */
  statuses?: readonly RequeueStatus[];
  jobId?: string;
  jobIds?: readonly string[];
  kind?: ErrorKind;
  /** Leave jobs of these kinds alone (a null kind is never excluded). */
  excludeKinds?: readonly ErrorKind[];
  /** Only documents under this folder (absolute, any depth). */
  folder?: string;
}

/** Failed jobs to dismiss; every given field narrows the selection. */
export interface DismissFilter {
  jobId?: string;
  kind?: ErrorKind;
  folder?: string;
}

/** Documents to remove: these exact paths, and everything under these folders. */
export interface RemoveTarget {
  paths?: readonly string[];
  folders?: readonly string[];
}

export type CancelFilter = { jobId: string } | { allPending: true };

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
  /** OCR languages for the folder's files ('deu+eng'); null or absent: the ocr_languages setting. */
  languages?: string | null;
}

export interface WatchedFolder extends NewWatchedFolder {
  languages: string | null;
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

/**
 * The store seam, narrowed into roles: each consumer takes the role it uses (the pool a
 * QueueStore, the watcher a WatchStore, the viewer a DocumentStore...). One adapter per database
 * implements all of them as a JobStore; one contract suite runs against both adapters.
 * Errors: an adapter throws StorageError (./errors) for faults of the storage itself, and plain
 * QuireErrors for refusals (already_watched); nothing driver-specific leaves it.
 */

/** The queue itself: jobs from enqueue to completion, as the pool, ingest and maintenance use it. */
export interface QueueStore {
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
  /**
   * A job stale recovery put back to pending (its lease lapsed while the machine slept or the host
   * stalled) that this worker is still running: take it back for the same worker and the same
   * attempt, as if the lease had never lapsed. False when anything else happened to it since
   * (another worker claimed it, it was cancelled, completed, requeued or dismissed). A job stale
   * recovery failed on its last attempt while this worker slept is taken back too: sleeping is not
   * a failure.
   */
  reclaim(jobId: string, workerId: string): Promise<boolean>;
  /** Give a held job back to pending without counting the attempt (shutdown, dead host). */
  release(jobId: string, workerId: string): Promise<boolean>;
  /** The result of an already completed document whose file has this sha256 (read with `languages` when given), for dedupe. */
  findCompletedByHash(contentHash: string, languages?: string): Promise<OcrResult | null>;
  /** Processing jobs, oldest first (the pool's liveness check, stats' in_progress). */
  listProcessing(limit?: number): Promise<InProgressJob[]>;
  /** Processing jobs whose heartbeat is older than leaseMs go back to pending (or fail when out of attempts). */
  recoverStale(leaseMs: number): Promise<StaleRecovery>;
  /** Delete completed job rows older than `olderThanMs` ago; documents keep status and text. */
  cleanup(olderThanMs: number): Promise<number>;
  /**
   * Failed (and/or cancelled) jobs back to pending with attempts reset; their wait counts from
   * now (created_at and run_after are now). A document that meanwhile got a live job is skipped.
   * Returns how many.
   */
  requeue(filter?: RequeueFilter): Promise<number>;
  /**
   * Dismiss failed jobs: their rows are deleted, so they leave the failures and the failed count.
   * The document keeps its failed status and reason; adding the unchanged file again adds no job,
   * a changed file gets one. Returns how many.
   */
  dismissFailures(filter: DismissFilter): Promise<number>;
  /**
   * Remove documents from the database: the documents, their jobs (even a running one: its result
   * is then dropped), pages and search entries. The files themselves are not touched. Returns how
   * many documents.
   */
  removeDocuments(target: RemoveTarget): Promise<number>;
  cancel(filter: CancelFilter): Promise<number>;
  setPaused(paused: boolean): Promise<void>;
  isPaused(): Promise<boolean>;
  /**
   * A running host's worker count and its reason (the power policy), stamped with the store's
   * clock; stats() carries the rows written within HOST_WORKERS_FRESH_MS. Written on every change
   * and every few seconds while the host runs.
   */
  publishHostWorkers(row: HostWorkers): Promise<void>;
  /** The host stopped: its row goes. */
  withdrawHostWorkers(hostId: string): Promise<void>;
}

/** Documents and their results: the viewer, `quire text`, export. */
export interface DocumentStore {
  getDocumentByPath(path: string): Promise<DocumentRow | null>;
  getDocument(id: string): Promise<DocumentRow | null>;
  getJob(id: string): Promise<JobRow | null>;
  getPages(documentId: string): Promise<PageResult[]>;
  /** Completed documents ordered by path, `limit` at a time after `afterPath` (keyset paging). */
  listCompleted(afterPath: string | null, limit: number): Promise<DocumentRow[]>;
}

/** Watched folders and what a watcher needs to reconcile a folder with the documents under it. */
export interface WatchStore {
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
}

/** Read-only views for people: stats, the jobs table, failures, search, throughput. */
export interface ListingStore {
  stats(): Promise<QueueStats>;
  listFailures(): Promise<FailureRow[]>;
  /** One page of jobs, keyset-paginated (no OFFSET), newest first by default. */
  listJobs(query: JobListQuery): Promise<JobPage>;
  /** Failed jobs counted per error kind, largest group first. */
  failureGroups(): Promise<FailureGroup[]>;
  /** Jobs being processed right now, as job-table rows (worker and page each is on). */
  listProcessingRows(): Promise<JobListRow[]>;
  /** Completed jobs per minute since `sinceMinute` (minutes with none are left out). */
  throughput(sinceMinute: number): Promise<MinuteCount[]>;
  /** Full-text search over completed documents; words are matched as terms, not query syntax. */
  search(query: string, limit: number): Promise<SearchHit[]>;
}

/** A file found under a walked path that Quire does not read, with why. */
export interface NewSkippedFile {
  path: string;
  reason: SkipReason;
  message: string;
}

/** The files Quire does not read, and the accounting of every file under some paths. */
export interface AccountingStore {
  /**
   * One transaction: forget every skipped file at or under `roots` (a walk of them saw them all
   * again), then record `files` as seen now. `files` outside `roots` are recorded too.
   */
  replaceSkipped(roots: readonly string[], files: readonly NewSkippedFile[]): Promise<void>;
  /** Skipped files counted by reason, and the first `limit` by path; only at or under `roots` when given. */
  listSkipped(limit: number, roots?: readonly string[]): Promise<SkippedList>;
  /**
   * Documents at or under `roots` whose file is there (not marked missing), counted by status, and
   * the first `limit` (by path) that are not completed.
   */
  tallyUnder(roots: readonly string[], limit: number): Promise<PathTally>;
}

/** Persisted settings (the config module resolves them with defaults and the environment). */
export interface SettingsStore {
  getSetting(key: string): Promise<unknown>;
  setSetting(key: string, value: unknown): Promise<void>;
  listSettings(): Promise<Record<string, unknown>>;
}

/** Everything one database holds: what an adapter implements and a host opens. */
export interface JobStore extends QueueStore, DocumentStore, WatchStore, ListingStore, SettingsStore, AccountingStore {
  close(): Promise<void>;
}

/** The queue's rules a store applies (src/core/queue/policy.ts makes them). */
export interface QueuePolicy {
  readonly maxAttempts: number;
  /** How long a job waits before its next attempt, after `attempts` attempts. */
  retryDelayMs(attempts: number): number;
  priorityForSize(bytes: number): number;
}
