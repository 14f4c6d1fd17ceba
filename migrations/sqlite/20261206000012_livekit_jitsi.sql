-- no-transaction
-- LiveKit and Jitsi rooms. SQLite cannot change a CHECK constraint, so the
-- three tables naming a platform are rebuilt (SQLite's documented
-- procedure): foreign keys off so that dropping the old table deletes
-- nothing that refers to it, everything in one transaction, references
-- checked before committing. Running it again after a crash before sqlx
-- noted it is harmless: it rebuilds the same tables again.
PRAGMA foreign_keys = OFF;
BEGIN IMMEDIATE;

CREATE TABLE room_rebuilt (
    id                  TEXT PRIMARY KEY NOT NULL,
    name                TEXT NOT NULL UNIQUE,
    user_id             TEXT NOT NULL REFERENCES user_account (id) ON DELETE CASCADE,
    created_at          TEXT NOT NULL,
    zulip_auto_post     BOOLEAN NOT NULL DEFAULT FALSE,
    zulip_stream        TEXT NOT NULL DEFAULT '',
    zulip_topic         TEXT NOT NULL DEFAULT '',
    is_locked           BOOLEAN NOT NULL DEFAULT FALSE,
    room_mode           TEXT NOT NULL DEFAULT 'normal'
                        CHECK (room_mode IN ('normal', 'group')),
    recording_type      TEXT NOT NULL DEFAULT 'cloud'
                        CHECK (recording_type IN ('none', 'local', 'cloud')),
    recording_trigger   TEXT NOT NULL DEFAULT 'automatic-2nd-participant'
                        CHECK (recording_trigger IN ('none', 'prompt', 'automatic', 'automatic-2nd-participant')),
    is_shared           BOOLEAN NOT NULL DEFAULT FALSE,
    webhook_url         TEXT,
    webhook_secret      TEXT,
    ics_url             TEXT,
    ics_fetch_interval  INTEGER NOT NULL DEFAULT 300 CHECK (ics_fetch_interval > 0),
    ics_enabled         BOOLEAN NOT NULL DEFAULT FALSE,
    ics_last_sync       TEXT,
    ics_last_etag       TEXT,
    platform            TEXT NOT NULL
                        CHECK (platform IN ('whereby', 'daily', 'livekit', 'jitsi', 'mock')),
    skip_consent        BOOLEAN NOT NULL DEFAULT FALSE,
    email_transcript_to TEXT,
    store_video         BOOLEAN NOT NULL DEFAULT FALSE,
    ics_last_modified   TEXT,
    ics_last_result     TEXT,
    webhook_events      TEXT,
    fallback_platforms  TEXT NOT NULL DEFAULT ''
);
INSERT INTO room_rebuilt SELECT * FROM room;
DROP TABLE room;
ALTER TABLE room_rebuilt RENAME TO room;
CREATE INDEX idx_room_user_id ON room (user_id);
CREATE INDEX idx_room_is_shared ON room (is_shared);
CREATE INDEX idx_room_ics_enabled ON room (ics_enabled);

CREATE TABLE meeting_rebuilt (
    id                            TEXT PRIMARY KEY NOT NULL,
    room_name                     TEXT NOT NULL,
    room_url                      TEXT NOT NULL,
    host_room_url                 TEXT NOT NULL,
    start_date                    TEXT NOT NULL,
    end_date                      TEXT NOT NULL,
    room_id                       TEXT REFERENCES room (id) ON DELETE CASCADE,
    is_locked                     BOOLEAN NOT NULL DEFAULT FALSE,
    room_mode                     TEXT NOT NULL DEFAULT 'normal'
                                  CHECK (room_mode IN ('normal', 'group')),
    recording_type                TEXT NOT NULL DEFAULT 'cloud'
                                  CHECK (recording_type IN ('none', 'local', 'cloud')),
    recording_trigger             TEXT NOT NULL DEFAULT 'automatic-2nd-participant'
                                  CHECK (recording_trigger IN ('none', 'prompt', 'automatic', 'automatic-2nd-participant')),
    num_clients                   INTEGER NOT NULL DEFAULT 0 CHECK (num_clients >= 0),
    is_active                     BOOLEAN NOT NULL DEFAULT TRUE,
    calendar_event_id             TEXT REFERENCES calendar_event (id) ON DELETE SET NULL,
    calendar_metadata             TEXT,
    platform                      TEXT NOT NULL
                                  CHECK (platform IN ('whereby', 'daily', 'livekit', 'jitsi', 'mock')),
    daily_composed_video_s3_key   TEXT,
    daily_composed_video_duration INTEGER,
    store_video                   BOOLEAN NOT NULL DEFAULT FALSE,
    failover_from                 TEXT
                                  CHECK (failover_from IN ('whereby', 'daily', 'livekit', 'jitsi', 'mock')),
    failover_reason               TEXT
);
INSERT INTO meeting_rebuilt SELECT * FROM meeting;
DROP TABLE meeting;
ALTER TABLE meeting_rebuilt RENAME TO meeting;
CREATE INDEX idx_meeting_room_id ON meeting (room_id);
CREATE INDEX idx_meeting_room_name ON meeting (room_name);
CREATE INDEX idx_meeting_calendar_event_id ON meeting (calendar_event_id);
CREATE INDEX idx_meeting_active ON meeting (is_active, end_date);
CREATE UNIQUE INDEX idx_meeting_one_per_calendar_event ON meeting (calendar_event_id)
    WHERE calendar_event_id IS NOT NULL;

CREATE TABLE recording_rebuilt (
    id            TEXT PRIMARY KEY NOT NULL,
    meeting_id    TEXT REFERENCES meeting (id) ON DELETE SET NULL,
    bucket_name   TEXT NOT NULL,
    object_key    TEXT NOT NULL,
    recorded_at   TEXT NOT NULL,
    status        TEXT NOT NULL DEFAULT 'pending'
                  CHECK (status IN ('pending', 'processing', 'completed', 'failed')),
    track_keys    TEXT,
    deleted_at    TEXT,
    platform      TEXT CHECK (platform IS NULL
                              OR platform IN ('whereby', 'daily', 'livekit', 'jitsi', 'mock')),
    error         TEXT,
    storage_key   TEXT,
    size_bytes    INTEGER,
    sha256        TEXT,
    stored_tracks TEXT
);
INSERT INTO recording_rebuilt SELECT * FROM recording;
DROP TABLE recording;
ALTER TABLE recording_rebuilt RENAME TO recording;
CREATE INDEX idx_recording_meeting_id ON recording (meeting_id);
CREATE INDEX idx_recording_deleted_at ON recording (deleted_at);

-- Fails the migration, committing nothing, if a reference was lost.
CREATE TEMP TABLE broken_references (count INTEGER NOT NULL CHECK (count = 0));
INSERT INTO broken_references SELECT COUNT(*) FROM pragma_foreign_key_check;
DROP TABLE broken_references;

COMMIT;
PRAGMA foreign_keys = ON;
