-- Quire schema 4 for PostgreSQL: the twin of migrations/sqlite/0004_skipped_files.sql (files under
-- the paths a person gave, or a watched folder, that Quire does not read, with why). COLLATE "C"
-- so a folder's entries are a range on the primary key, as for documents.path. Shipped
-- migrations never change.

CREATE TABLE skipped_files (
  path    TEXT    COLLATE "C" NOT NULL PRIMARY KEY,
  reason  TEXT    NOT NULL
          CHECK (reason IN ('unsupported_format', 'not_a_file', 'permission_denied', 'bad_name', 'unreadable')),
  message TEXT    NOT NULL,
  seen_at BIGINT  NOT NULL
);
