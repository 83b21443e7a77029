-- Quire schema 2 for PostgreSQL: the twin of migrations/sqlite/0002_watched_folders.sql (watched
-- folders, and documents whose source file is gone), plus the jobs listing's order index (end of
-- file). Shipped migrations never change.
--
-- Flags stay INTEGER 0/1 as on SQLite (not BOOLEAN), so both adapters map rows the same way and
-- migrate-store copies values as they are.

CREATE TABLE watched_folders (
  id               TEXT    COLLATE "C" NOT NULL UNIQUE,  -- UUID
  path             TEXT    COLLATE "C" NOT NULL UNIQUE,  -- absolute, resolved when added
  poll             INTEGER NOT NULL DEFAULT 0,           -- 1: the user asked for polling
  ignore_patterns  TEXT    NOT NULL DEFAULT '[]',        -- JSON array of globs, relative to path
  output_txt       INTEGER NOT NULL DEFAULT 0,           -- write <source>.ocr.txt when a job completes
  output_pdf       INTEGER NOT NULL DEFAULT 0,           -- write <source>.ocr.pdf (searchable PDF)
  output_dir       TEXT,                                 -- null: outputs sit next to each source
  state            TEXT    NOT NULL DEFAULT 'stopped'
                   CHECK (state IN ('stopped', 'scanning', 'watching', 'polling', 'unavailable', 'error')),
  state_message    TEXT,                                 -- why polling / unavailable / error, for a person
  state_changed_at BIGINT,
  last_scan_at     BIGINT,                               -- end of the last full rescan (reconciliation)
  added_at         BIGINT  NOT NULL
);

-- 1 when the file at documents.path was deleted (or moved out of reach): the document and its text
-- are kept, so search still finds it and can say the source is gone.
ALTER TABLE documents ADD COLUMN source_missing INTEGER NOT NULL DEFAULT 0;
ALTER TABLE documents ADD COLUMN source_missing_since BIGINT;
-- A new file is hashed (to recognise a moved, already processed file) only when a missing
-- document of the same size exists: this answers that at once.
CREATE INDEX documents_missing_size ON documents (size) WHERE source_missing = 1;

-- The jobs table of the UI lists jobs newest first by insertion order, keyset-paged on seq (SQLite
-- pages on its rowid, the table's own key, for free). Without this index the first page sorts
-- every job: 1.8 s at 1M jobs, measured. seq never changes, so the index costs one entry per new
-- row version of a job (status changes and heartbeats already update every index of ocr_queue).
CREATE INDEX ocr_queue_seq ON ocr_queue (seq);
