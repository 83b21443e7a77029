/** Rows as both stores return them (same column names and types: epoch-ms integers) and their mapping to the JobStore types. */
import type { DocumentRow, InProgressJob, JobRow, JobStatus } from './types';

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
