-- The job queue: one row per job, one row per stored image; the same tables as the SQLite queue.
-- Times are Unix seconds (double precision) from the clients' clock, never the server's now(), so
-- every host leases by the same clock. States: queued -> running -> succeeded | failed | canceled.
CREATE TABLE jobs (
    id                text COLLATE "C" PRIMARY KEY,  -- byte order, as SQLite compares: export pages by id
    idempotency_key   text UNIQUE,
    state             text NOT NULL CHECK (state IN ('queued', 'running', 'succeeded', 'failed', 'canceled')),
    prompt            text NOT NULL,
    negative_prompt   text NOT NULL DEFAULT '',
    seeds             text NOT NULL,               -- JSON array, one seed per image
    image_count       integer NOT NULL CHECK (image_count BETWEEN 1 AND 16),
    steps             integer NOT NULL,
    guidance          double precision NOT NULL,
    sampler           text NOT NULL,
    model_id          text,                        -- what rendered it ('reference' or a model id), set on success
    weights_hash      text,
    priority          integer NOT NULL DEFAULT 0,
    max_attempts      integer NOT NULL DEFAULT 3 CHECK (max_attempts >= 1),
    attempts          integer NOT NULL DEFAULT 0,
    run_after         double precision NOT NULL,   -- not claimable before this time (retry backoff)
    created_at        double precision NOT NULL,
    updated_at        double precision NOT NULL,
    started_at        double precision,
    finished_at       double precision,
    worker            text,
    lease_token       text,
    lease_expires_at  double precision,
    progress_step     integer NOT NULL DEFAULT 0,
    progress_total    integer NOT NULL DEFAULT 0,
    cancel_requested  boolean NOT NULL DEFAULT false,
    error             text,
    -- Insertion order, as SQLite's rowid: breaks ties between jobs created in the same instant.
    seq               bigserial NOT NULL
);

-- Claim order: highest priority first, then oldest.
CREATE INDEX jobs_claim_order ON jobs (priority DESC, created_at, seq) WHERE state = 'queued';
-- Expired-lease reaping looks only at running jobs.
CREATE INDEX jobs_running_leases ON jobs (lease_expires_at) WHERE state = 'running';
-- list --state and prune.
CREATE INDEX jobs_state_created ON jobs (state, created_at, seq);
-- list without a state: newest first.
CREATE INDEX jobs_created ON jobs (created_at, seq);

CREATE TABLE images (
    job_id      text COLLATE "C" NOT NULL REFERENCES jobs (id) ON DELETE CASCADE,
    image_index integer NOT NULL,
    seed        bigint NOT NULL,
    width       integer NOT NULL,
    height      integer NOT NULL,
    sha256      text NOT NULL,
    jpeg        bytea NOT NULL,
    PRIMARY KEY (job_id, image_index)
);
-- JPEGs do not compress: storing them out of line uncompressed saves the server a futile attempt.
ALTER TABLE images ALTER COLUMN jpeg SET STORAGE EXTERNAL;

-- Claiming in one round trip: expired leases are reaped (back to the queue, or failed once their
-- attempts are used up, or canceled if a cancel waited for them), then the next runnable job is
-- leased. Each statement sees the one before, so a job reaped here can be claimed at once.
-- SKIP LOCKED lets concurrent claimers pass each other's rows instead of queueing behind them.
CREATE FUNCTION fae_t2i_claim(p_worker text, p_token text, p_now double precision, p_lease_expires_at double precision)
RETURNS SETOF jobs
LANGUAGE plpgsql AS $$
BEGIN
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

-- Idle workers LISTEN on fae_t2i_jobs: whenever a job becomes queued (a submit, a retry, a lease
-- given back or reaped) they are told, and claim at once instead of at their next poll. Within
-- one transaction PostgreSQL sends one notification however many rows fire it.
CREATE FUNCTION fae_t2i_notify_work() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('fae_t2i_jobs', '');
    RETURN NULL;
END
$$;

CREATE TRIGGER jobs_notify_queued_insert AFTER INSERT ON jobs
    FOR EACH ROW WHEN (NEW.state = 'queued') EXECUTE FUNCTION fae_t2i_notify_work();
CREATE TRIGGER jobs_notify_queued_update AFTER UPDATE OF state ON jobs
    FOR EACH ROW WHEN (NEW.state = 'queued' AND OLD.state <> 'queued') EXECUTE FUNCTION fae_t2i_notify_work();
