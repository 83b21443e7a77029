/** The SQLite store's prepared statements, prepared once per connection. */
import type Database from 'better-sqlite3';
import type { JobStatus } from '../../../shared/jobs';
import type { PageResult } from '../../../shared/results';
import type { DocRaw, InProgressRaw, JobRaw } from '../rows';

export interface HostWorkersRaw {
  host_id: string;
  workers_allowed: number;
  full_workers: number;
  throttle_reason: string | null;
  updated_at: number;
}

export type QueueStatements = ReturnType<typeof prepareStatements>;

export function prepareStatements(db: Database.Database) {
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
      `INSERT INTO ocr_queue (id, document_id, status, priority, attempts, max_attempts, created_at, file_size, run_after, languages)
       VALUES (?, ?, 'pending', ?, 0, ?, ?, ?, ?, ?)`,
    ),
    // A file enqueued again with other languages: its pending job takes them.
    setPendingLanguages: db.prepare(
      `UPDATE ocr_queue SET languages = ? WHERE document_id = ? AND status = 'pending' AND languages IS NOT ?`,
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
      `SELECT q.id, q.document_id, d.path, d.kind, q.file_size, q.attempts, q.max_attempts, q.priority, q.languages
       FROM ocr_queue q JOIN documents d ON d.id = q.document_id WHERE q.rowid = ?`,
    ),
    heldJob: db.prepare<[string, string], { document_id: string; attempts: number; max_attempts: number; started_at: number }>(
      `SELECT document_id, attempts, max_attempts, started_at FROM ocr_queue
       WHERE id = ? AND worker_id = ? AND status = 'processing'`,
    ),
    // run_after = started_at: the wait is not counted again (the started trigger adds 0 to wait_ms).
    // Requeued by stale recovery (pending, no worker), or failed by it on the last attempt (failed,
    // still naming this worker): never while the document has another live job.
    reclaim: db.prepare<{ now: number; worker: string; id: string }>(
      `UPDATE ocr_queue SET status = 'processing', heartbeat_at = @now, worker_id = @worker, run_after = started_at,
         error_message = NULL, error_kind = NULL, completed_at = NULL
       WHERE id = @id AND error_kind = 'worker_crashed'
         AND ((status = 'pending' AND worker_id IS NULL) OR (status = 'failed' AND worker_id = @worker))
         AND NOT EXISTS (SELECT 1 FROM ocr_queue l WHERE l.document_id = ocr_queue.document_id
                         AND l.id <> ocr_queue.id AND l.status IN ('pending', 'processing'))`,
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
    completedByHash: db.prepare<[{ hash: string; languages: string | null }], DocRaw & { ocr_engine: string | null; ocr_languages: string | null; processing_time_ms: number | null }>(
      `SELECT * FROM documents WHERE content_hash = @hash AND ocr_status = 'completed' AND ocr_text IS NOT NULL
         AND (@languages IS NULL OR ocr_languages = @languages) LIMIT 1`,
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
    hostWorkers: db.prepare<[number], HostWorkersRaw>(
      `SELECT host_id, workers_allowed, full_workers, throttle_reason, updated_at FROM host_workers
       WHERE updated_at >= ? ORDER BY host_id`,
    ),
    publishHostWorkers: db.prepare<[string, number, number, string | null, number]>(
      `INSERT INTO host_workers (host_id, workers_allowed, full_workers, throttle_reason, updated_at) VALUES (?, ?, ?, ?, ?)
       ON CONFLICT (host_id) DO UPDATE SET workers_allowed = excluded.workers_allowed, full_workers = excluded.full_workers,
         throttle_reason = excluded.throttle_reason, updated_at = excluded.updated_at`,
    ),
    withdrawHostWorkers: db.prepare<[string]>('DELETE FROM host_workers WHERE host_id = ?'),
  };
}

export interface ClaimedJobRaw {
  id: string;
  document_id: string;
  path: string;
  kind: string;
  file_size: number;
  attempts: number;
  max_attempts: number;
  priority: number;
  languages: string | null;
}

export interface FailureRaw {
  id: string;
  document_id: string;
  path: string;
  error_kind: string | null;
  error_message: string | null;
  attempts: number;
  completed_at: number | null;
}
