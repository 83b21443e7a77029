-- Quire schema 3: OCR languages chosen per job and per watched folder ('deu+eng').
-- Null: the ocr_languages setting at the time the job runs. Shipped migrations never change.

ALTER TABLE ocr_queue ADD COLUMN languages TEXT;
ALTER TABLE watched_folders ADD COLUMN languages TEXT;
