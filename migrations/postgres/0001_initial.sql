-- Quire schema 1 for PostgreSQL: the twin of migrations/sqlite/0001_initial.sql (same id, same
-- tables and columns, same guarantees). Shipped migrations never change: add a new numbered file.
--
-- Times are BIGINT milliseconds since the Unix epoch (UTC), exactly as on SQLite, not timestamptz:
-- every time is written from the store's injected clock (so tests move time by hand and both
-- adapters map rows 1:1 to the same TypeScript types), backoff/lease arithmetic stays integer
-- arithmetic, and `migrate-store` copies values without conversion.
--
-- Where this file differs from the SQLite text, it is for PostgreSQL's concurrency model
-- (many connections writing at once instead of one writer at a time):
-- * ocr_queue.seq stands in for SQLite's implicit rowid: the claim order's last tie-break
--   (jobs of one batch share created_at), so both stores hand out jobs in the same order.
-- * Counters and minute stats are written as insert-only delta rows and folded into
--   queue_counters / queue_minute_stats by quire_compact_stats(). Updating the shared counter
--   and minute rows per status change makes every claim and completion wait for the
--   transaction holding those rows until it commits (with fsync on, one commit flush at a
--   time), and could deadlock against bulk updates that lock job rows; inserts take no shared
--   lock. Measured (bench:queue:pg, fsync on, two alternating runs each): claim+complete with
--   synchronous_commit on, 8 workers: 442-476 cycles/s with deltas vs 179-196 with shared rows;
--   4 workers 274-307 vs 175-210; with synchronous_commit off, 4 workers 1040-1093 vs 925-929.
-- * The full-text index is a GIN expression index ('simple' configuration: no stemming, like
--   FTS5's default unicode61 tokenizer) instead of an FTS5 table, so the text is stored once.
-- * Indexes on ocr_queue are partial, never (status, ...) composites: one such composite made
--   completions fall from ~10k/s to ~500/s (STACK.md).
-- * Ids, paths and setting keys use the "C" collation: byte order like SQLite (listings sort the
--   same), and index comparisons are memcmp instead of the server locale's rules.

CREATE TABLE documents (
  id                 TEXT    COLLATE "C" NOT NULL PRIMARY KEY, -- UUID
  path               TEXT    COLLATE "C" NOT NULL UNIQUE, -- absolute, as seen by the ingesting host
  size               BIGINT  NOT NULL,
  mtime              BIGINT  NOT NULL,
  content_hash       TEXT,                               -- sha256 hex; null until a worker read the file
  kind               TEXT    NOT NULL,                   -- mime type guessed from the extension
  added_at           BIGINT  NOT NULL,
  ocr_status         TEXT    NOT NULL DEFAULT 'pending'
                     CHECK (ocr_status IN ('pending', 'processing', 'completed', 'failed', 'cancelled')),
  ocr_error          TEXT,
  ocr_error_kind     TEXT,
  ocr_completed_at   BIGINT,
  page_count         INTEGER,
  confidence         DOUBLE PRECISION,                   -- SQLite REAL is 8 bytes; PostgreSQL REAL is 4
  ocr_text           TEXT,
  ocr_engine         TEXT,
  ocr_languages      TEXT,
  processing_time_ms BIGINT
);

CREATE INDEX documents_content_hash ON documents (content_hash) WHERE content_hash IS NOT NULL;

CREATE TABLE document_pages (
  document_id TEXT    COLLATE "C" NOT NULL REFERENCES documents (id) ON DELETE CASCADE,
  page_no     INTEGER NOT NULL,                          -- 1-based
  text        TEXT    NOT NULL,
  confidence  DOUBLE PRECISION,
  source      TEXT    NOT NULL CHECK (source IN ('ocr', 'text_layer')),
  PRIMARY KEY (document_id, page_no)
);

-- Full-text search over documents.ocr_text:
--   WHERE to_tsvector('simple', ocr_text) @@ websearch_to_tsquery('simple', $1)
-- An expression index keeps status updates of documents (every claim and completion mirrors
-- into documents) from recomputing a stored tsvector; partial, so documents not yet OCR'd add
-- no entries (the search condition implies ocr_text IS NOT NULL, so the planner uses it).
CREATE INDEX documents_fts ON documents USING gin (to_tsvector('simple', ocr_text)) WHERE ocr_text IS NOT NULL;

CREATE TABLE ocr_queue (
  id                 TEXT    COLLATE "C" NOT NULL PRIMARY KEY, -- UUID
  document_id        TEXT    COLLATE "C" NOT NULL REFERENCES documents (id) ON DELETE CASCADE,
  status             TEXT    NOT NULL DEFAULT 'pending'
                     CHECK (status IN ('pending', 'processing', 'completed', 'failed', 'cancelled')),
  priority           INTEGER NOT NULL DEFAULT 5,
  attempts           INTEGER NOT NULL DEFAULT 0,
  max_attempts       INTEGER NOT NULL DEFAULT 3,
  created_at         BIGINT  NOT NULL,
  started_at         BIGINT,
  completed_at       BIGINT,
  error_message      TEXT,
  error_kind         TEXT,
  worker_id          TEXT,
  processing_time_ms BIGINT,
  file_size          BIGINT  NOT NULL,
  run_after          BIGINT  NOT NULL,                   -- not claimable before this time (backoff)
  heartbeat_at       BIGINT,                             -- lease: renewed by the worker holding the job
  progress_page      INTEGER,
  progress_pages     INTEGER,
  seq                BIGINT  GENERATED ALWAYS AS IDENTITY -- SQLite's rowid: insertion order
);

-- At most one live job per document.
CREATE UNIQUE INDEX ocr_queue_one_live_job ON ocr_queue (document_id)
  WHERE status IN ('pending', 'processing');
-- Claim order: highest priority, then oldest, then insertion order.
CREATE INDEX ocr_queue_claim ON ocr_queue (priority DESC, created_at, seq) WHERE status = 'pending';
-- Oldest pending, for stats.
CREATE INDEX ocr_queue_pending_age ON ocr_queue (created_at) WHERE status = 'pending';
-- Stale recovery scans only processing jobs.
CREATE INDEX ocr_queue_processing ON ocr_queue (heartbeat_at) WHERE status = 'processing';
-- Cleanup of old completed rows.
CREATE INDEX ocr_queue_completed_age ON ocr_queue (completed_at) WHERE status = 'completed';
-- Failure listings and requeue by kind.
CREATE INDEX ocr_queue_failed ON ocr_queue (error_kind) WHERE status = 'failed';
-- Jobs of one document (superseding old failed/cancelled rows, cascades).
CREATE INDEX ocr_queue_document ON ocr_queue (document_id);

-- documents.ocr_status and its error mirror the document's current job, kept by triggers so
-- no code path can update one without the other. Inserts come in batches (enqueue): one
-- statement-level update per batch. Updates: see ocr_queue_status_change below.
CREATE FUNCTION quire_queue_document_insert() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  -- Rows already in that state are skipped: a new document is inserted as 'pending' without an
  -- error, and rewriting all 1,000 rows of a batch would double enqueue's writes.
  UPDATE documents d SET ocr_status = n.status, ocr_error = NULL, ocr_error_kind = NULL
    FROM new_jobs n
    WHERE d.id = n.document_id
      AND (d.ocr_status <> n.status OR d.ocr_error IS NOT NULL OR d.ocr_error_kind IS NOT NULL);
  RETURN NULL;
END $$;
CREATE TRIGGER ocr_queue_document_insert AFTER INSERT ON ocr_queue
  REFERENCING NEW TABLE AS new_jobs FOR EACH STATEMENT EXECUTE FUNCTION quire_queue_document_insert();

-- Exact job counts per status: queue_counters holds folded totals, queue_counter_deltas the
-- changes since the last fold; the count of a status is the sum over both (a few rows).
CREATE TABLE queue_counters (
  status TEXT   PRIMARY KEY,
  n      BIGINT NOT NULL
);
INSERT INTO queue_counters (status, n) VALUES
  ('pending', 0), ('processing', 0), ('completed', 0), ('failed', 0), ('cancelled', 0);

CREATE TABLE queue_counter_deltas (
  status TEXT   NOT NULL,
  n      BIGINT NOT NULL
);

-- Inserts and deletes come in batches (enqueue, cleanup): statement-level with transition
-- tables, so a batch of 1,000 jobs writes one delta row, not 1,000.
CREATE FUNCTION quire_count_insert() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO queue_counter_deltas (status, n) SELECT status, count(*) FROM new_jobs GROUP BY status;
  RETURN NULL;
END $$;
CREATE TRIGGER ocr_queue_count_insert AFTER INSERT ON ocr_queue
  REFERENCING NEW TABLE AS new_jobs FOR EACH STATEMENT EXECUTE FUNCTION quire_count_insert();

CREATE FUNCTION quire_count_delete() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO queue_counter_deltas (status, n) SELECT status, -count(*) FROM old_jobs GROUP BY status;
  RETURN NULL;
END $$;
CREATE TRIGGER ocr_queue_count_delete AFTER DELETE ON ocr_queue
  REFERENCING OLD TABLE AS old_jobs FOR EACH STATEMENT EXECUTE FUNCTION quire_count_delete();

-- Per-minute activity, for completed_today, completed_last_hour and the average wait.
CREATE TABLE queue_minute_stats (
  minute    BIGINT PRIMARY KEY,                          -- floor(ms / 60000)
  completed BIGINT NOT NULL DEFAULT 0,
  started   BIGINT NOT NULL DEFAULT 0,
  wait_ms   BIGINT NOT NULL DEFAULT 0                    -- sum of (started_at - run_after) over claims
);

CREATE TABLE queue_minute_deltas (
  minute    BIGINT NOT NULL,
  completed BIGINT NOT NULL DEFAULT 0,
  started   BIGINT NOT NULL DEFAULT 0,
  wait_ms   BIGINT NOT NULL DEFAULT 0
);

-- Every status change of a job (claim, completion, failure, retry, recovery, requeue, cancel):
-- one row-level trigger does all the bookkeeping: the document mirror, the counter deltas and
-- the minute stats (one trigger call instead of three; a statement-level trigger with
-- transition tables would also fire on every heartbeat). Fires only when the status or the
-- error changes: heartbeats and progress updates (which do not SET status) never reach it.
-- The document is rewritten only when it differs: completion already wrote these columns along
-- with the text, and a second row version per completion is pure cost.
CREATE FUNCTION quire_queue_status_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE documents SET
    ocr_status = NEW.status,
    ocr_error = NEW.error_message,
    ocr_error_kind = NEW.error_kind,
    ocr_completed_at = CASE WHEN NEW.status = 'completed' THEN NEW.completed_at ELSE ocr_completed_at END
  WHERE id = NEW.document_id
    AND (ocr_status <> NEW.status
      OR ocr_error IS DISTINCT FROM NEW.error_message
      OR ocr_error_kind IS DISTINCT FROM NEW.error_kind
      OR (NEW.status = 'completed' AND ocr_completed_at IS DISTINCT FROM NEW.completed_at));
  IF OLD.status <> NEW.status THEN
    INSERT INTO queue_counter_deltas (status, n) VALUES (OLD.status, -1), (NEW.status, 1);
    IF NEW.status = 'processing' THEN
      INSERT INTO queue_minute_deltas (minute, started, wait_ms)
        VALUES (div(NEW.started_at, 60000), 1, GREATEST(0, NEW.started_at - NEW.run_after));
    ELSIF NEW.status = 'completed' THEN
      INSERT INTO queue_minute_deltas (minute, completed) VALUES (div(NEW.completed_at, 60000), 1);
    END IF;
  END IF;
  RETURN NULL;
END $$;
CREATE TRIGGER ocr_queue_status_change AFTER UPDATE OF status ON ocr_queue FOR EACH ROW
  WHEN (OLD.status <> NEW.status OR OLD.error_message IS DISTINCT FROM NEW.error_message)
  EXECUTE FUNCTION quire_queue_status_change();

-- Fold the deltas into the totals. Readers sum totals + deltas, so folding never changes what
-- they see; concurrent callers skip instead of waiting (the advisory lock only serializes folders).
CREATE FUNCTION quire_compact_stats() RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  IF NOT pg_try_advisory_xact_lock(hashtext('quire.compact_stats')) THEN
    RETURN;
  END IF;
  WITH gone AS (DELETE FROM queue_counter_deltas RETURNING status, n)
  INSERT INTO queue_counters AS c (status, n)
    SELECT status, sum(n) FROM gone GROUP BY status
    ON CONFLICT (status) DO UPDATE SET n = c.n + excluded.n;
  WITH gone AS (DELETE FROM queue_minute_deltas RETURNING minute, completed, started, wait_ms)
  INSERT INTO queue_minute_stats AS m (minute, completed, started, wait_ms)
    SELECT minute, sum(completed), sum(started), sum(wait_ms) FROM gone GROUP BY minute
    ON CONFLICT (minute) DO UPDATE SET completed = m.completed + excluded.completed,
      started = m.started + excluded.started, wait_ms = m.wait_ms + excluded.wait_ms;
END $$;

-- The seed's `SELECT * FROM get_ocr_queue_stats();`, for people at a psql prompt. Quire itself
-- reads the same sources through the store (with its own clock). Arguments default to the
-- server's clock and the start of the day in the session's time zone.
CREATE FUNCTION get_ocr_queue_stats(
  now_ms       BIGINT DEFAULT (extract(epoch FROM clock_timestamp()) * 1000)::bigint,
  day_start_ms BIGINT DEFAULT (extract(epoch FROM date_trunc('day', clock_timestamp())) * 1000)::bigint
) RETURNS TABLE (
  pending                BIGINT,
  processing             BIGINT,
  failed                 BIGINT,
  completed_today        BIGINT,
  avg_wait_time_minutes  DOUBLE PRECISION,
  oldest_pending_minutes DOUBLE PRECISION
) LANGUAGE sql STABLE AS $$
  WITH counts AS (
    SELECT status, sum(n) AS n FROM (
      SELECT status, n FROM queue_counters UNION ALL SELECT status, n FROM queue_counter_deltas
    ) c GROUP BY status
  ), minutes AS (
    SELECT minute, completed, started, wait_ms FROM queue_minute_stats
    UNION ALL SELECT minute, completed, started, wait_ms FROM queue_minute_deltas
  ), hour AS (
    SELECT sum(started) AS started, sum(wait_ms) AS wait_ms FROM minutes WHERE minute >= div(now_ms, 60000) - 59
  )
  SELECT
    coalesce((SELECT n FROM counts WHERE status = 'pending'), 0)::bigint,
    coalesce((SELECT n FROM counts WHERE status = 'processing'), 0)::bigint,
    coalesce((SELECT n FROM counts WHERE status = 'failed'), 0)::bigint,
    coalesce((SELECT sum(completed) FROM minutes
              WHERE minute >= div(day_start_ms, 60000) AND minute <= div(now_ms, 60000)), 0)::bigint,
    (SELECT CASE WHEN coalesce(started, 0) > 0
            THEN round((wait_ms::float8 / started / 60000)::numeric, 2)::float8 ELSE 0 END FROM hour),
    coalesce((SELECT round((GREATEST(0, now_ms - min(created_at))::float8 / 60000)::numeric, 2)::float8
              FROM ocr_queue WHERE status = 'pending'), 0)
$$;

CREATE TABLE settings (
  key   TEXT COLLATE "C" PRIMARY KEY,
  value TEXT NOT NULL                                    -- JSON, as on SQLite (JSON.stringify / JSON.parse)
);
