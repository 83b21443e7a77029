/**
 * Every PostgreSQL statement the store runs, in one place (STYLE.md rule 3). Times are epoch-ms
 * parameters from the store's clock, never now(), so both stores agree on time under tests.
 */

/** Enqueue batches from several hosts take turns, like SQLite's write lock: a batch reads
 * documents, decides, then writes, and must not interleave with another batch on the same paths. */
export const ENQUEUE_LOCK = `SELECT pg_advisory_xact_lock(${0x51554953})`;

export const DOCS_BY_PATHS = `SELECT id, path, size, mtime, ocr_status, ocr_languages FROM documents
  WHERE path = ANY($1::text[])`;

export const LIVE_JOBS_OF = `SELECT document_id, status, languages FROM ocr_queue
  WHERE document_id = ANY($1::text[]) AND status IN ('pending', 'processing')`;

export const INSERT_DOCS = `INSERT INTO documents (id, path, size, mtime, kind, added_at, ocr_status)
  SELECT id, path, size, mtime, kind, $6, 'pending'
  FROM unnest($1::text[], $2::text[], $3::bigint[], $4::bigint[], $5::text[]) AS t (id, path, size, mtime, kind)`;

export const UPDATE_DOC_FILES = `UPDATE documents d SET size = t.size, mtime = t.mtime, kind = t.kind, content_hash = NULL
  FROM unnest($1::text[], $2::bigint[], $3::bigint[], $4::text[]) AS t (id, size, mtime, kind)
  WHERE d.id = t.id`;

export const DROP_OLD_JOBS = `DELETE FROM ocr_queue
  WHERE document_id = ANY($1::text[]) AND status IN ('failed', 'cancelled')`;

/** ORDER BY ord keeps seq (the claim tie-break) in input order, as SQLite's rowid is. A document
 * that got a live job from elsewhere since the batch looked is skipped (RETURNING tells which). */
export const INSERT_JOBS = `INSERT INTO ocr_queue
    (id, document_id, status, priority, attempts, max_attempts, created_at, file_size, run_after, languages)
  SELECT id, document_id, 'pending', priority, 0, $5, $6, file_size, $6, languages
  FROM unnest($1::text[], $2::text[], $3::int[], $4::bigint[], $7::text[]) WITH ORDINALITY
    AS t (id, document_id, priority, file_size, languages, ord)
  ORDER BY ord
  ON CONFLICT (document_id) WHERE status IN ('pending', 'processing') DO NOTHING
  RETURNING id`;

/**
 * Claim: lock the best pending row, skipping rows other workers are locking right now, and take
 * it in the same statement. The paused flag is read in the same statement, so a claim never
 * slips past a pause that committed before it.
 */
/** Pending jobs of files enqueued again with other languages take them. */
export const SET_PENDING_LANGUAGES = `UPDATE ocr_queue q SET languages = t.languages
  FROM unnest($1::text[], $2::text[]) AS t (document_id, languages)
  WHERE q.document_id = t.document_id AND q.status = 'pending'`;

export const CLAIM = `WITH claimed AS (
    UPDATE ocr_queue SET status = 'processing', started_at = $1, heartbeat_at = $1, worker_id = $2,
      attempts = attempts + 1, progress_page = NULL, progress_pages = NULL, completed_at = NULL
    WHERE id = (
      SELECT id FROM ocr_queue
      WHERE status = 'pending' AND run_after <= $1
        AND NOT EXISTS (SELECT 1 FROM settings WHERE key = 'queue_paused' AND value = 'true')
      ORDER BY priority DESC, created_at, seq
      LIMIT 1 FOR UPDATE SKIP LOCKED)
    AND status = 'pending'
    RETURNING id, document_id, file_size, attempts, max_attempts, priority, languages)
  SELECT c.id, c.document_id, c.file_size, c.attempts, c.max_attempts, c.priority, c.languages, d.path, d.kind
  FROM claimed c JOIN documents d ON d.id = c.document_id`;

/** A job stale recovery requeued while its worker still runs it, back to that worker (same attempt; the wait is not counted again). */
/** Requeued by stale recovery (pending, no worker), or failed by it on the last attempt (failed, still naming this worker). */
export const RECLAIM = `UPDATE ocr_queue SET status = 'processing', heartbeat_at = $1, worker_id = $2, run_after = started_at,
    error_message = NULL, error_kind = NULL, completed_at = NULL
  WHERE id = $3 AND error_kind = 'worker_crashed'
    AND ((status = 'pending' AND worker_id IS NULL) OR (status = 'failed' AND worker_id = $2))
    AND NOT EXISTS (SELECT 1 FROM ocr_queue l WHERE l.document_id = ocr_queue.document_id
                    AND l.id <> ocr_queue.id AND l.status IN ('pending', 'processing'))`;

export const HEARTBEAT = `UPDATE ocr_queue SET heartbeat_at = $1
  WHERE id = $2 AND worker_id = $3 AND status = 'processing'`;

export const PROGRESS = `UPDATE ocr_queue SET heartbeat_at = $1, progress_page = $2, progress_pages = $3
  WHERE id = $4 AND worker_id = $5 AND status = 'processing'`;

/**
 * Completion in one statement (so one round trip and atomic without BEGIN/COMMIT): the job row
 * is taken only if this worker still holds it, and the document and its pages are written only
 * from that row. Pages are upserted and the surplus deleted (disjoint rows), because a DELETE and
 * an INSERT of the same keys in one statement would not see each other.
 */
export const COMPLETE = `WITH job AS (
    UPDATE ocr_queue SET status = 'completed', completed_at = $3, processing_time_ms = GREATEST(0, $3 - started_at),
      error_message = NULL, error_kind = NULL, heartbeat_at = NULL
    WHERE id = $1 AND worker_id = $2 AND status = 'processing'
    RETURNING document_id),
  doc AS (
    UPDATE documents d SET ocr_text = $4, confidence = $5, page_count = $6, ocr_engine = $7, ocr_languages = $8,
      processing_time_ms = $9, content_hash = COALESCE($10, d.content_hash),
      -- What the status trigger would mirror, written in the same row version.
      ocr_status = 'completed', ocr_error = NULL, ocr_error_kind = NULL, ocr_completed_at = $3
    FROM job WHERE d.id = job.document_id),
  surplus AS (
    DELETE FROM document_pages p USING job
    WHERE p.document_id = job.document_id AND NOT (p.page_no = ANY($11::int[]))),
  pages AS (
    INSERT INTO document_pages (document_id, page_no, text, confidence, source)
    SELECT job.document_id, t.page_no, t.text, t.confidence, t.source
    FROM job, unnest($11::int[], $12::text[], $13::float8[], $14::text[]) AS t (page_no, text, confidence, source)
    ON CONFLICT (document_id, page_no) DO UPDATE
      SET text = excluded.text, confidence = excluded.confidence, source = excluded.source)
  SELECT document_id FROM job`;

export const HELD_JOB_FOR_UPDATE = `SELECT attempts, max_attempts FROM ocr_queue
  WHERE id = $1 AND worker_id = $2 AND status = 'processing' FOR UPDATE`;

export const FAIL_JOB = `UPDATE ocr_queue SET status = 'failed', completed_at = $1, error_message = $2, error_kind = $3,
  heartbeat_at = NULL WHERE id = $4`;

export const RETRY_JOB = `UPDATE ocr_queue SET status = 'pending', run_after = $1, error_message = $2, error_kind = $3,
  worker_id = NULL, heartbeat_at = NULL WHERE id = $4`;

export const STALE_JOBS = `SELECT id, attempts, max_attempts, worker_id FROM ocr_queue
  WHERE status = 'processing' AND heartbeat_at < $1 ORDER BY heartbeat_at FOR UPDATE`;

/** Finished jobs back to pending: their wait counts from now. `where` is built by the store
 * (parameters from $3); a document that meanwhile got a live job is skipped. */
export function requeueSql(where: string): string {
  return `UPDATE ocr_queue q SET status = 'pending', attempts = 0, run_after = $1, created_at = $1, error_message = NULL,
      error_kind = NULL, worker_id = NULL, started_at = NULL, completed_at = NULL, heartbeat_at = NULL
    WHERE ${where}
      AND NOT EXISTS (SELECT 1 FROM ocr_queue l WHERE l.document_id = q.document_id AND l.status IN ('pending', 'processing'))`;
}

/** The files are never touched: only their rows (jobs and pages go with them, ON DELETE CASCADE). */
export const REMOVE_DOCS_BY_PATH = 'DELETE FROM documents WHERE path = ANY($1::text[])';
export const REMOVE_DOCS_UNDER = 'DELETE FROM documents WHERE path >= $1 AND path < $2';

export const CANCEL_ONE = `UPDATE ocr_queue SET status = 'cancelled', completed_at = $1, error_kind = 'cancelled',
    error_message = 'Cancelled by the user.', worker_id = NULL, heartbeat_at = NULL
  WHERE id = $2 AND status IN ('pending', 'processing')`;

export const CANCEL_ALL_PENDING = `UPDATE ocr_queue SET status = 'cancelled', completed_at = $1, error_kind = 'cancelled',
    error_message = 'Cancelled by the user.'
  WHERE status = 'pending'`;

export const CLEANUP_JOBS = `DELETE FROM ocr_queue WHERE status = 'completed' AND completed_at < $1`;
export const CLEANUP_MINUTES = 'DELETE FROM queue_minute_stats WHERE minute < $1';

export const COMPACT_STATS = 'SELECT quire_compact_stats()';

/** Counters, minute sums and the oldest pending job in one round trip; sums over folded totals
 * plus unfolded deltas, so the answer is exact whether or not a fold just ran. */
export const STATS = `WITH counts AS (
    SELECT status, sum(n) AS n FROM (
      SELECT status, n FROM queue_counters UNION ALL SELECT status, n FROM queue_counter_deltas) c
    GROUP BY status),
  minutes AS (
    SELECT minute, completed, started, wait_ms FROM queue_minute_stats WHERE minute >= LEAST($1, $2 - 59)
    UNION ALL
    SELECT minute, completed, started, wait_ms FROM queue_minute_deltas WHERE minute >= LEAST($1, $2 - 59))
  SELECT
    coalesce((SELECT n FROM counts WHERE status = 'pending'), 0)::bigint AS pending,
    coalesce((SELECT n FROM counts WHERE status = 'processing'), 0)::bigint AS processing,
    coalesce((SELECT n FROM counts WHERE status = 'completed'), 0)::bigint AS completed,
    coalesce((SELECT n FROM counts WHERE status = 'failed'), 0)::bigint AS failed,
    coalesce((SELECT n FROM counts WHERE status = 'cancelled'), 0)::bigint AS cancelled,
    coalesce((SELECT sum(completed) FROM minutes WHERE minute >= $1 AND minute <= $2), 0)::bigint AS completed_today,
    coalesce((SELECT sum(completed) FROM minutes WHERE minute >= $2 - 59), 0)::bigint AS completed_hour,
    coalesce((SELECT sum(started) FROM minutes WHERE minute >= $2 - 59), 0)::bigint AS started_hour,
    coalesce((SELECT sum(wait_ms) FROM minutes WHERE minute >= $2 - 59), 0)::bigint AS wait_ms_hour,
    (SELECT min(created_at) FROM ocr_queue WHERE status = 'pending') AS oldest_pending,
    EXISTS (SELECT 1 FROM settings WHERE key = 'queue_paused' AND value = 'true') AS paused`;

export const FAILURES = `SELECT q.id, q.document_id, d.path, q.error_kind, q.error_message, q.attempts, q.completed_at
  FROM ocr_queue q JOIN documents d ON d.id = q.document_id
  WHERE q.status = 'failed' ORDER BY d.path COLLATE "C"`; // byte order, as SQLite sorts

const DOC_COLUMNS = `id, path, size, mtime, kind, content_hash, ocr_status, ocr_error, ocr_error_kind,
  ocr_completed_at, page_count, confidence, ocr_text, ocr_languages, source_missing`;
export const DOC_BY_PATH = `SELECT ${DOC_COLUMNS} FROM documents WHERE path = $1`;
export const DOC_BY_ID = `SELECT ${DOC_COLUMNS} FROM documents WHERE id = $1`;

export const JOB_BY_ID = `SELECT id, document_id, status, priority, attempts, max_attempts, created_at, started_at,
  completed_at, run_after, heartbeat_at, worker_id, error_message, error_kind, processing_time_ms, file_size, languages
  FROM ocr_queue WHERE id = $1`;

export const GET_SETTING = 'SELECT value FROM settings WHERE key = $1';
export const SET_SETTING = `INSERT INTO settings (key, value) VALUES ($1, $2)
  ON CONFLICT (key) DO UPDATE SET value = excluded.value`;
export const ALL_SETTINGS = 'SELECT key, value FROM settings ORDER BY key COLLATE "C"';

// ---- The worker pool's reads and writes (twins of the SQLite statements). ----

export const HOST_WORKERS = `SELECT host_id, workers_allowed, full_workers, throttle_reason, updated_at FROM host_workers
  WHERE updated_at >= $1 ORDER BY host_id COLLATE "C"`;
export const PUBLISH_HOST_WORKERS = `INSERT INTO host_workers (host_id, workers_allowed, full_workers, throttle_reason, updated_at)
  VALUES ($1, $2, $3, $4, $5)
  ON CONFLICT (host_id) DO UPDATE SET workers_allowed = excluded.workers_allowed, full_workers = excluded.full_workers,
    throttle_reason = excluded.throttle_reason, updated_at = excluded.updated_at`;
export const WITHDRAW_HOST_WORKERS = 'DELETE FROM host_workers WHERE host_id = $1';

export const COMPLETED_BY_HASH = `SELECT id, ocr_text, confidence, ocr_engine, ocr_languages, processing_time_ms
  FROM documents WHERE content_hash = $1 AND ocr_status = 'completed' AND ocr_text IS NOT NULL
    AND ($2::text IS NULL OR ocr_languages = $2) LIMIT 1`;

/** Back to pending without counting the attempt; claimable at once. */
export const RELEASE = `UPDATE ocr_queue SET status = 'pending', attempts = GREATEST(0, attempts - 1), run_after = $1,
    worker_id = NULL, heartbeat_at = NULL, started_at = NULL, progress_page = NULL, progress_pages = NULL
  WHERE id = $2 AND worker_id = $3 AND status = 'processing'`;

/** The partial index ocr_queue_processing keeps this cheap however long the queue is. */
export const PROCESSING = `SELECT q.id, q.document_id, d.path, q.worker_id, q.started_at, q.heartbeat_at, q.attempts,
    q.progress_page, q.progress_pages
  FROM ocr_queue q JOIN documents d ON d.id = q.document_id
  WHERE q.status = 'processing' ORDER BY q.heartbeat_at LIMIT $1`;

export const PAGES = 'SELECT page_no, text, confidence, source FROM document_pages WHERE document_id = $1 ORDER BY page_no';

export const COMPLETED_AFTER = `SELECT ${DOC_COLUMNS} FROM documents
  WHERE ocr_status = 'completed' AND path > $1 ORDER BY path LIMIT $2`;
