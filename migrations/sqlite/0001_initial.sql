-- Quire schema 1: documents, the OCR job queue, settings, counters.
-- Shipped migrations never change: add a new numbered file instead.
-- Times are integer milliseconds since the Unix epoch (UTC).

CREATE TABLE documents (
  id                 TEXT    NOT NULL UNIQUE,            -- UUID
  path               TEXT    NOT NULL UNIQUE,            -- absolute, as seen by the ingesting host
  size               INTEGER NOT NULL,
  mtime              INTEGER NOT NULL,
  content_hash       TEXT,                               -- sha256 hex; null until a worker read the file
  kind               TEXT    NOT NULL,                   -- mime type guessed from the extension
  added_at           INTEGER NOT NULL,
  ocr_status         TEXT    NOT NULL DEFAULT 'pending'
                     CHECK (ocr_status IN ('pending', 'processing', 'completed', 'failed', 'cancelled')),
  ocr_error          TEXT,
  ocr_error_kind     TEXT,
  ocr_completed_at   INTEGER,
  page_count         INTEGER,
  confidence         REAL,
  ocr_text           TEXT,
  ocr_engine         TEXT,
  ocr_languages      TEXT,
  processing_time_ms INTEGER
);

CREATE INDEX documents_content_hash ON documents (content_hash) WHERE content_hash IS NOT NULL;

CREATE TABLE document_pages (
  document_id TEXT    NOT NULL REFERENCES documents (id) ON DELETE CASCADE,
  page_no     INTEGER NOT NULL,                          -- 1-based
  text        TEXT    NOT NULL,
  confidence  REAL,
  source      TEXT    NOT NULL CHECK (source IN ('ocr', 'text_layer')),
  PRIMARY KEY (document_id, page_no)
) WITHOUT ROWID;

-- Full-text search over documents.ocr_text (external content: the text is stored once).
CREATE VIRTUAL TABLE documents_fts USING fts5 (ocr_text, content = 'documents', content_rowid = 'rowid');

CREATE TRIGGER documents_fts_insert AFTER INSERT ON documents WHEN NEW.ocr_text IS NOT NULL BEGIN
  INSERT INTO documents_fts (rowid, ocr_text) VALUES (NEW.rowid, NEW.ocr_text);
END;
CREATE TRIGGER documents_fts_delete AFTER DELETE ON documents WHEN OLD.ocr_text IS NOT NULL BEGIN
  INSERT INTO documents_fts (documents_fts, rowid, ocr_text) VALUES ('delete', OLD.rowid, OLD.ocr_text);
END;
CREATE TRIGGER documents_fts_update AFTER UPDATE OF ocr_text ON documents BEGIN
  INSERT INTO documents_fts (documents_fts, rowid, ocr_text)
    SELECT 'delete', OLD.rowid, OLD.ocr_text WHERE OLD.ocr_text IS NOT NULL;
  INSERT INTO documents_fts (rowid, ocr_text)
    SELECT NEW.rowid, NEW.ocr_text WHERE NEW.ocr_text IS NOT NULL;
END;

CREATE TABLE ocr_queue (
  id                 TEXT    NOT NULL UNIQUE,            -- UUID
  document_id        TEXT    NOT NULL REFERENCES documents (id) ON DELETE CASCADE,
  status             TEXT    NOT NULL DEFAULT 'pending'
                     CHECK (status IN ('pending', 'processing', 'completed', 'failed', 'cancelled')),
  priority           INTEGER NOT NULL DEFAULT 5,
  attempts           INTEGER NOT NULL DEFAULT 0,
  max_attempts       INTEGER NOT NULL DEFAULT 3,
  created_at         INTEGER NOT NULL,
  started_at         INTEGER,
  completed_at       INTEGER,
  error_message      TEXT,
  error_kind         TEXT,
  worker_id          TEXT,
  processing_time_ms INTEGER,
  file_size          INTEGER NOT NULL,
  run_after          INTEGER NOT NULL,                   -- not claimable before this time (backoff)
  heartbeat_at       INTEGER,                            -- lease: renewed by the worker holding the job
  progress_page      INTEGER,
  progress_pages     INTEGER
);

-- At most one live job per document.
CREATE UNIQUE INDEX ocr_queue_one_live_job ON ocr_queue (document_id)
  WHERE status IN ('pending', 'processing');
-- Claim order: highest priority, then oldest (rowid breaks ties in insertion order).
CREATE INDEX ocr_queue_claim ON ocr_queue (priority DESC, created_at) WHERE status = 'pending';
-- Oldest pending, for stats.
CREATE INDEX ocr_queue_pending_age ON ocr_queue (created_at) WHERE status = 'pending';
-- Stale recovery scans only processing jobs.
CREATE INDEX ocr_queue_processing ON ocr_queue (heartbeat_at) WHERE status = 'processing';
-- Cleanup of old completed rows.
CREATE INDEX ocr_queue_completed_age ON ocr_queue (completed_at) WHERE status = 'completed';
-- Failure listings and requeue by kind.
CREATE INDEX ocr_queue_failed ON ocr_queue (error_kind) WHERE status = 'failed';
-- Jobs of one document (superseding old failed/cancelled rows).
CREATE INDEX ocr_queue_document ON ocr_queue (document_id);

-- documents.ocr_status and its error mirror the document's current job, kept by a trigger so
-- no status change can update one without the other. (Enqueue sets a new job's document to
-- pending itself: an insert trigger doing the same cost a third of the enqueue rate.)
CREATE TRIGGER ocr_queue_document_status AFTER UPDATE OF status ON ocr_queue
  WHEN OLD.status <> NEW.status OR OLD.error_message IS NOT NEW.error_message BEGIN
  UPDATE documents SET
    ocr_status = NEW.status,
    ocr_error = NEW.error_message,
    ocr_error_kind = NEW.error_kind,
    ocr_completed_at = CASE WHEN NEW.status = 'completed' THEN NEW.completed_at ELSE ocr_completed_at END
  WHERE id = NEW.document_id;
END;

-- Exact job counts per status, kept by triggers so stats() never counts the table.
CREATE TABLE queue_counters (
  status TEXT    PRIMARY KEY,
  n      INTEGER NOT NULL
) WITHOUT ROWID;
INSERT INTO queue_counters (status, n) VALUES
  ('pending', 0), ('processing', 0), ('completed', 0), ('failed', 0), ('cancelled', 0);

CREATE TRIGGER ocr_queue_count_insert AFTER INSERT ON ocr_queue BEGIN
  UPDATE queue_counters SET n = n + 1 WHERE status = NEW.status;
END;
CREATE TRIGGER ocr_queue_count_delete AFTER DELETE ON ocr_queue BEGIN
  UPDATE queue_counters SET n = n - 1 WHERE status = OLD.status;
END;
CREATE TRIGGER ocr_queue_count_update AFTER UPDATE OF status ON ocr_queue
  WHEN OLD.status <> NEW.status BEGIN
  UPDATE queue_counters SET n = n - 1 WHERE status = OLD.status;
  UPDATE queue_counters SET n = n + 1 WHERE status = NEW.status;
END;

-- Per-minute activity, for completed_today, completed_last_hour and the average wait.
CREATE TABLE queue_minute_stats (
  minute    INTEGER PRIMARY KEY,                         -- floor(ms / 60000)
  completed INTEGER NOT NULL DEFAULT 0,
  started   INTEGER NOT NULL DEFAULT 0,
  wait_ms   INTEGER NOT NULL DEFAULT 0                   -- sum of (started_at - run_after) over claims
);

CREATE TRIGGER ocr_queue_minute_completed AFTER UPDATE OF status ON ocr_queue
  WHEN NEW.status = 'completed' AND OLD.status <> 'completed' BEGIN
  INSERT INTO queue_minute_stats (minute, completed) VALUES (NEW.completed_at / 60000, 1)
    ON CONFLICT (minute) DO UPDATE SET completed = completed + 1;
END;

CREATE TRIGGER ocr_queue_minute_started AFTER UPDATE OF status ON ocr_queue
  WHEN NEW.status = 'processing' AND OLD.status <> 'processing' BEGIN
  INSERT INTO queue_minute_stats (minute, started, wait_ms)
    VALUES (NEW.started_at / 60000, 1, MAX(0, NEW.started_at - NEW.run_after))
    ON CONFLICT (minute) DO UPDATE SET started = started + 1, wait_ms = wait_ms + excluded.wait_ms;
END;

CREATE TABLE settings (
  key   TEXT PRIMARY KEY,
  value TEXT NOT NULL                                    -- JSON
) WITHOUT ROWID;
