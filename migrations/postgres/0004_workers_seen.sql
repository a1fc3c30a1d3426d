-- When each worker last asked for a job, so that `/metrics` can tell how many are alive even while
-- the queue is empty. Claims write it; prune removes workers not seen since its cutoff.
CREATE TABLE workers (
    name       text PRIMARY KEY,
    last_seen  double precision NOT NULL
);

-- Jobs in the order they finished: the server's metrics read the ones finished since their last look.
CREATE INDEX jobs_finished ON jobs (finished_at) WHERE finished_at IS NOT NULL;

-- The claim of 0001, which now also records that the worker was seen.
CREATE OR REPLACE FUNCTION fae_t2i_claim(p_worker text, p_token text, p_now double precision, p_lease_expires_at double precision)
RETURNS SETOF jobs
LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO workers (name, last_seen) VALUES (p_worker, p_now)
    ON CONFLICT (name) DO UPDATE SET last_seen = excluded.last_seen;

    UPDATE jobs
    SET state = CASE WHEN cancel_requested THEN 'canceled'
                     WHEN attempts >= max_attempts THEN 'failed'
                     ELSE 'queued' END,
        error = CASE WHEN cancel_requested THEN error
                     ELSE 'worker ' || coalesce(worker, '?') || ' lost its lease on attempt ' || attempts END,
        finished_at = CASE WHEN cancel_requested OR attempts >= max_attempts THEN p_now ELSE NULL END,
        run_after = p_now, lease_token = NULL, lease_expires_at = NULL, updated_at = p_now
    WHERE id IN (SELECT id FROM jobs WHERE state = 'running' AND lease_expires_at < p_now FOR UPDATE SKIP LOCKED);

    RETURN QUERY
    UPDATE jobs
    SET state = 'running', attempts = attempts + 1, lease_token = p_token, lease_expires_at = p_lease_expires_at,
        worker = p_worker, started_at = p_now, updated_at = p_now, progress_step = 0, progress_total = 0
    WHERE id = (SELECT id FROM jobs
                WHERE state = 'queued' AND run_after <= p_now
                ORDER BY priority DESC, created_at, seq
                LIMIT 1 FOR UPDATE SKIP LOCKED)
    RETURNING jobs.*;
END
$$;
