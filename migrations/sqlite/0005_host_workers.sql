-- Quire schema 5: how many OCR workers each running host allows now, and why (the power policy:
-- battery, idle, schedule). A host writes its row when the decision changes and every few seconds
-- while it runs, and deletes it when it stops; `quire stats` in another process reads the rows
-- updated recently. Shipped migrations never change.

CREATE TABLE host_workers (
  host_id TEXT PRIMARY KEY,            -- hostname/pid of the host process
  workers_allowed INTEGER NOT NULL,
  full_workers INTEGER NOT NULL,       -- the count at full speed ("1 of 4 workers")
  throttle_reason TEXT,                -- null at full speed
  updated_at INTEGER NOT NULL          -- epoch ms
);
