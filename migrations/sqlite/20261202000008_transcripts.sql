-- Transcripts: one per recording, its segments (speaker, times, text, words)
-- as JSON, and the text searched by FTS5 (kept in step by the store, and by
-- the trigger below when a transcript goes with its recording or room);
-- accents are kept, as PostgreSQL's 'simple' configuration keeps them.
CREATE TABLE transcript (
    id              TEXT PRIMARY KEY NOT NULL,
    recording_id    TEXT NOT NULL UNIQUE REFERENCES recording (id) ON DELETE CASCADE,
    meeting_id      TEXT REFERENCES meeting (id) ON DELETE SET NULL,
    room_id         TEXT REFERENCES room (id) ON DELETE CASCADE,
    status          TEXT NOT NULL DEFAULT 'queued'
                    CHECK (status IN ('queued', 'transcribing', 'completed', 'failed')),
    error           TEXT,
    source_language TEXT,
    duration        REAL,
    audio_deleted   BOOLEAN NOT NULL DEFAULT FALSE,
    segments        TEXT NOT NULL DEFAULT '[]',
    content         TEXT NOT NULL DEFAULT '',
    created_at      TEXT NOT NULL,
    completed_at    TEXT
);
CREATE INDEX idx_transcript_room ON transcript (room_id, created_at);

CREATE VIRTUAL TABLE transcript_search USING fts5(
    transcript_id UNINDEXED,
    content,
    tokenize = 'unicode61 remove_diacritics 0'
);

CREATE TRIGGER transcript_search_forget AFTER DELETE ON transcript BEGIN
    DELETE FROM transcript_search WHERE transcript_id = old.id;
END;
