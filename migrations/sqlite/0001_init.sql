-- The job queue: one row per job, one row per stored image.
-- Times are Unix seconds (REAL). States: queued -> running -> succeeded | failed | canceled.
CREATE TABLE jobs (
    id                TEXT PRIMARY KEY,
    idempotency_key   TEXT UNIQUE,
    state             TEXT NOT NULL CHECK (state IN ('queued', 'running', 'succeeded', 'failed', 'canceled')),
    prompt            TEXT NOT NULL,
    negative_prompt   TEXT NOT NULL DEFAULT '',
    seeds             TEXT NOT NULL,               -- JSON array, one seed per image
    image_count       INTEGER NOT NULL CHECK (image_count BETWEEN 1 AND 16),
    steps             INTEGER NOT NULL,
    guidance          REAL NOT NULL,
    sampler           TEXT NOT NULL,
    model_id          TEXT,                        -- what rendered it ('reference' or a model id), set on success
    weights_hash      TEXT,
    priority          INTEGER NOT NULL DEFAULT 0,
    max_attempts      INTEGER NOT NULL DEFAULT 3 CHECK (max_attempts >= 1),
    attempts          INTEGER NOT NULL DEFAULT 0,
    run_after         REAL NOT NULL,               -- not claimable before this time (retry backoff)
    created_at        REAL NOT NULL,
    updated_at        REAL NOT NULL,
    started_at        REAL,
    finished_at       REAL,
    worker            TEXT,
    lease_token       TEXT,
    lease_expires_at  REAL,
    progress_step     INTEGER NOT NULL DEFAULT 0,
    progress_total    INTEGER NOT NULL DEFAULT 0,
    cancel_requested  INTEGER NOT NULL DEFAULT 0,
    error             TEXT
);

-- Claim order: highest priority first, then oldest.
CREATE INDEX jobs_claim_order ON jobs (priority DESC, created_at) WHERE state = 'queued';
-- Expired-lease reaping looks only at running jobs.
CREATE INDEX jobs_running_leases ON jobs (lease_expires_at) WHERE state = 'running';
-- list --state and prune.
CREATE INDEX jobs_state_created ON jobs (state, created_at);

CREATE TABLE images (
    job_id      TEXT NOT NULL REFERENCES jobs (id) ON DELETE CASCADE,
    image_index INTEGER NOT NULL,
    seed        INTEGER NOT NULL,
    width       INTEGER NOT NULL,
    height      INTEGER NOT NULL,
    sha256      TEXT NOT NULL,
    jpeg        BLOB NOT NULL,
    PRIMARY KEY (job_id, image_index)
) WITHOUT ROWID;
