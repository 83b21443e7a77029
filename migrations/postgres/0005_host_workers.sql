-- Quire schema 5 for PostgreSQL: the twin of migrations/sqlite/0005_host_workers.sql (how many
-- OCR workers each running host allows now, and why; rows updated recently are the live hosts).
-- Shipped migrations never change.

CREATE TABLE host_workers (
  host_id TEXT PRIMARY KEY,
  workers_allowed INTEGER NOT NULL,
  full_workers INTEGER NOT NULL,
  throttle_reason TEXT,
  updated_at BIGINT NOT NULL
);
