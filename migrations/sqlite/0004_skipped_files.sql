-- Quire schema 4: files under the paths a person gave (or a watched folder) that Quire does not
-- read (unsupported format, not a regular file, no permission, a name that is not UTF-8, ...),
-- with why. They never become documents or jobs; this list is how they are named later
-- (quire skipped, the Failures screen). A new walk of a path replaces its entries; a file that is
-- queued leaves the list. Shipped migrations never change.

CREATE TABLE skipped_files (
  path    TEXT    NOT NULL PRIMARY KEY,                    -- absolute (escaped bytes for a name that is not UTF-8)
  reason  TEXT    NOT NULL
          CHECK (reason IN ('unsupported_format', 'not_a_file', 'permission_denied', 'bad_name', 'unreadable')),
  message TEXT    NOT NULL,                                -- the detail for this file
  seen_at INTEGER NOT NULL                                 -- when it was last found so
);
