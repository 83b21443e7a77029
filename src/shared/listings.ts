/** Listings the UI and the CLI page through: jobs, failures, search hits. */
import type { ErrorKind } from './errors';
import type { JobStatus } from './jobs';

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

export interface FailureRow {
  jobId: string;
  documentId: string;
  path: string;
  kind: ErrorKind | null;
  message: string | null;
  attempts: number;
  failedAt: number | null;
}

export interface SearchHit {
  documentId: string;
  path: string;
  /** Text around the match; the matched words are wrapped in \u0002 ... \u0003 (safe to split on, never HTML). */
  snippet: string;
  pageCount: number | null;
}

/** An OCR language Quire can read: shipped with the app or added to the data folder's languages folder. */
export interface InstalledLanguage {
  /** tesseract's code, as used in settings: eng, deu, chi_sim. */
  code: string;
  /** English name (the code itself when unknown). */
  name: string;
  source: 'shipped' | 'added';
}
