-- Transcripts: one per recording, its segments (speaker, times, text, words)
-- as JSON, and the text searched through a tsvector ('simple': no stemming,
-- any language, as SQLite's unicode61) with a GIN index.
CREATE TABLE transcript (
    id              TEXT PRIMARY KEY,
    recording_id    TEXT NOT NULL UNIQUE REFERENCES recording (id) ON DELETE CASCADE,
    meeting_id      TEXT REFERENCES meeting (id) ON DELETE SET NULL,
    room_id         TEXT REFERENCES room (id) ON DELETE CASCADE,
    status          TEXT NOT NULL DEFAULT 'queued'
                    CHECK (status IN ('queued', 'transcribing', 'completed', 'failed')),
    error           TEXT,
    source_language TEXT,
    duration        DOUBLE PRECISION,
    audio_deleted   BOOLEAN NOT NULL DEFAULT FALSE,
    segments        JSONB NOT NULL DEFAULT '[]',
    content         TEXT NOT NULL DEFAULT '',
    search_vector   tsvector GENERATED ALWAYS AS (to_tsvector('simple', content)) STORED,
    created_at      TIMESTAMPTZ NOT NULL,
    completed_at    TIMESTAMPTZ
);
CREATE INDEX idx_transcript_room ON transcript (room_id, created_at);
CREATE INDEX idx_transcript_search ON transcript USING GIN (search_vector);
