-- Quire schema 2: watched folders, and documents whose source file is gone.
-- Shipped migrations never change: add a new numbered file instead.

CREATE TABLE watched_folders (
  id               TEXT    NOT NULL UNIQUE,              -- UUID
  path             TEXT    NOT NULL UNIQUE,              -- absolute, resolved when added
  poll             INTEGER NOT NULL DEFAULT 0,           -- 1: the user asked for polling
  ignore_patterns  TEXT    NOT NULL DEFAULT '[]',        -- JSON array of globs, relative to path
  output_txt       INTEGER NOT NULL DEFAULT 0,           -- write <source>.ocr.txt when a job completes
  output_pdf       INTEGER NOT NULL DEFAULT 0,           -- write <source>.ocr.pdf (searchable PDF)
  output_dir       TEXT,                                 -- null: outputs sit next to each source
  state            TEXT    NOT NULL DEFAULT 'stopped'
                   CHECK (state IN ('stopped', 'scanning', 'watching', 'polling', 'unavailable', 'error')),
  state_message    TEXT,                                 -- why polling / unavailable / error, for a person
  state_changed_at INTEGER,
  last_scan_at     INTEGER,                              -- end of the last full rescan (reconciliation)
  added_at         INTEGER NOT NULL
);

-- 1 when the file at documents.path was deleted (or moved out of reach): the document and its text
-- are kept, so search still finds it and can say the source is gone.
ALTER TABLE documents ADD COLUMN source_missing INTEGER NOT NULL DEFAULT 0;
ALTER TABLE documents ADD COLUMN source_missing_since INTEGER;
-- A new file is hashed (to recognise a moved, already processed file) only when a missing
-- document of the same size exists: this answers that in microseconds.
CREATE INDEX documents_missing_size ON documents (size) WHERE source_missing = 1;
