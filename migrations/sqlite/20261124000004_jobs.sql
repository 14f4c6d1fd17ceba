-- Durable background jobs. Times are Unix milliseconds so both databases
-- order and compare them the same way.
CREATE TABLE job (
    id           TEXT PRIMARY KEY NOT NULL,
    kind         TEXT NOT NULL,
    payload      TEXT NOT NULL,
    -- At most one unfinished job per key (see the partial index below).
    dedupe_key   TEXT,
    status       TEXT NOT NULL DEFAULT 'queued'
                 CHECK (status IN ('queued', 'running', 'completed', 'failed')),
    attempts     INTEGER NOT NULL DEFAULT 0,
    max_attempts INTEGER NOT NULL,
    run_at       INTEGER NOT NULL,
    locked_by    TEXT,
    locked_until INTEGER,
    last_error   TEXT,
    created_at   INTEGER NOT NULL,
    finished_at  INTEGER
);
CREATE INDEX idx_job_due ON job (status, run_at);
CREATE UNIQUE INDEX idx_job_unfinished_dedupe_key ON job (dedupe_key)
    WHERE status IN ('queued', 'running');

-- What the recording worker stored: where, how big, its checksum.
ALTER TABLE recording ADD COLUMN storage_key TEXT;
ALTER TABLE recording ADD COLUMN size_bytes INTEGER;
ALTER TABLE recording ADD COLUMN sha256 TEXT;
