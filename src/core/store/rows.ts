/** Rows as both stores return them (same column names and types: epoch-ms integers) and their mapping to the JobStore types. */
import type { DocumentFileRow, WatchedFolder, WatchedFolderState } from './types';
import type { DocumentRow, JobRow, JobStatus } from '../../shared/jobs';
import type { HostWorkers, InProgressJob } from '../../shared/stats';
import type { JobListRow } from '../../shared/listings';

export interface DocRaw {
  id: string;
  path: string;
  size: number;
  mtime: number;
  kind: string;
  content_hash: string | null;
  ocr_status: JobStatus;
  ocr_error: string | null;
  ocr_error_kind: string | null;
  ocr_completed_at: number | null;
  page_count: number | null;
  confidence: number | null;
  ocr_text: string | null;
  ocr_languages?: string | null;
  source_missing: number;
}

export interface JobRaw {
  id: string;
  document_id: string;
  status: JobStatus;
  priority: number;
  attempts: number;
  max_attempts: number;
  created_at: number;
  started_at: number | null;
  completed_at: number | null;
  run_after: number;
  heartbeat_at: number | null;
  worker_id: string | null;
  error_message: string | null;
  error_kind: string | null;
  processing_time_ms: number | null;
  file_size: number;
  languages?: string | null;
}

export function toDocument(r: DocRaw): DocumentRow {
  return {
    id: r.id,
    path: r.path,
    size: r.size,
    mtimeMs: r.mtime,
    kind: r.kind,
    contentHash: r.content_hash,
    ocrStatus: r.ocr_status,
    ocrError: r.ocr_error,
    ocrErrorKind: r.ocr_error_kind,
    ocrCompletedAt: r.ocr_completed_at,
    pageCount: r.page_count,
    confidence: r.confidence,
    text: r.ocr_text,
    languages: r.ocr_languages ?? null,
    sourceMissing: r.source_missing === 1,
  };
}

export function toJob(r: JobRaw): JobRow {
  return {
    id: r.id,
    documentId: r.document_id,
    status: r.status,
    priority: r.priority,
    attempts: r.attempts,
    maxAttempts: r.max_attempts,
    createdAt: r.created_at,
    startedAt: r.started_at,
    completedAt: r.completed_at,
    runAfter: r.run_after,
    heartbeatAt: r.heartbeat_at,
    workerId: r.worker_id,
    errorMessage: r.error_message,
    errorKind: r.error_kind,
    processingTimeMs: r.processing_time_ms,
    fileSize: r.file_size,
    languages: r.languages ?? null,
  };
}

export interface InProgressRaw {
  id: string;
  document_id: string;
  path: string;
  worker_id: string | null;
  started_at: number | null;
  heartbeat_at: number | null;
  attempts: number;
  progress_page: number | null;
  progress_pages: number | null;
}

export function toInProgress(r: InProgressRaw): InProgressJob {
  return {
    jobId: r.id,
    documentId: r.document_id,
    path: r.path,
    workerId: r.worker_id,
    startedAt: r.started_at,
    heartbeatAt: r.heartbeat_at,
    attempts: r.attempts,
    page: r.progress_page,
    pages: r.progress_pages,
  };
}

export interface FolderRaw {
  id: string;
  path: string;
  poll: number;
  ignore_patterns: string;
  output_txt: number;
  output_pdf: number;
  output_dir: string | null;
  languages?: string | null;
  state: WatchedFolderState;
  state_message: string | null;
  state_changed_at: number | null;
  last_scan_at: number | null;
  added_at: number;
}

export interface DocFileRaw {
  id: string;
  path: string;
  size: number;
  mtime: number;
  content_hash: string | null;
  ocr_status: JobStatus;
  source_missing: number;
}

export function toFolder(r: FolderRaw): WatchedFolder {
  return {
    id: r.id,
    path: r.path,
    poll: r.poll === 1,
    ignore: JSON.parse(r.ignore_patterns) as string[],
    outputs: { txt: r.output_txt === 1, pdf: r.output_pdf === 1, dir: r.output_dir },
    languages: r.languages ?? null,
    state: r.state,
    stateMessage: r.state_message,
    stateChangedAt: r.state_changed_at,
    lastScanAt: r.last_scan_at,
    addedAt: r.added_at,
  };
}

export function toDocFile(r: DocFileRaw): DocumentFileRow {
  return {
    id: r.id,
    path: r.path,
    size: r.size,
    mtimeMs: r.mtime,
    contentHash: r.content_hash,
    ocrStatus: r.ocr_status,
    sourceMissing: r.source_missing === 1,
  };
}

export interface JobListRaw {
  rid: number;
  id: string;
  document_id: string;
  path: string;
  status: JobStatus;
  priority: number;
  attempts: number;
  max_attempts: number;
  created_at: number;
  started_at: number | null;
  completed_at: number | null;
  error_kind: string | null;
  error_message: string | null;
  file_size: number;
  processing_time_ms: number | null;
  worker_id: string | null;
  progress_page: number | null;
  progress_pages: number | null;
}

export function toRow(r: JobListRaw): JobListRow {
  return {
    id: r.id,
    documentId: r.document_id,
    path: r.path,
    status: r.status,
    priority: r.priority,
    attempts: r.attempts,
    maxAttempts: r.max_attempts,
    createdAt: r.created_at,
    startedAt: r.started_at,
    completedAt: r.completed_at,
    errorKind: r.error_kind,
    errorMessage: r.error_message,
    fileSize: r.file_size,
    processingTimeMs: r.processing_time_ms,
    workerId: r.worker_id,
    progressPage: r.progress_page,
    progressPages: r.progress_pages,
  };
}

/** A host_workers row (both dialects; PostgreSQL's BIGINT may come back as a string). */
export function toHostWorkers(r: { host_id: string; workers_allowed: number | string; full_workers: number | string; throttle_reason: string | null }): HostWorkers {
  return {
    hostId: r.host_id,
    workersAllowed: Number(r.workers_allowed),
    fullWorkers: Number(r.full_workers),
    throttleReason: r.throttle_reason,
  };
}
