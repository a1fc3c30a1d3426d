-- The sha256 of the submitted parameters, so that an idempotency key reused with other parameters
-- is refused instead of silently answered with the first job. NULL on jobs submitted before.
ALTER TABLE jobs ADD COLUMN request_digest text;
