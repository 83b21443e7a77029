/** Jobs and documents: the rows every layer talks about, from the store to the renderer. */

export type JobStatus = 'pending' | 'processing' | 'completed' | 'failed' | 'cancelled';
export const JOB_STATUSES: readonly JobStatus[] = ['pending', 'processing', 'completed', 'failed', 'cancelled'];

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
  /** The job's own OCR languages ('deu+eng'); null: the ocr_languages setting. */
  languages: string | null;
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
  /** The OCR languages its text was read with ('deu+eng'); null until it is read. */
  languages: string | null;
  /** The file at `path` was deleted or moved away; the document and its text are kept. */
  sourceMissing: boolean;
}
