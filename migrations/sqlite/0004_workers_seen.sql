-- When each worker last asked for a job, so that `/metrics` can tell how many are alive even while
-- the queue is empty. Claims write it; prune removes workers not seen since its cutoff.
CREATE TABLE workers (
    name       TEXT PRIMARY KEY,
    last_seen  REAL NOT NULL
) WITHOUT ROWID;

-- Jobs in the order they finished: the server's metrics read the ones finished since their last look.
CREATE INDEX jobs_finished ON jobs (finished_at) WHERE finished_at IS NOT NULL;
