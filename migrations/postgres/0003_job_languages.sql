-- Quire schema 3 for PostgreSQL: the twin of migrations/sqlite/0003_job_languages.sql (OCR
-- languages chosen per job and per watched folder, 'deu+eng'; null: the ocr_languages setting at
-- the time the job runs). Shipped migrations never change.

ALTER TABLE ocr_queue ADD COLUMN languages TEXT;
ALTER TABLE watched_folders ADD COLUMN languages TEXT;
