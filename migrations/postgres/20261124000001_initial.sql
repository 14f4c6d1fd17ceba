-- Reflector Rooms schema, PostgreSQL flavour. Keep in step with ../sqlite/.
-- Timestamps are TIMESTAMPTZ; enumerations are text guarded by
-- CHECK constraints so an invalid value cannot be stored.

CREATE TABLE user_account (
    id            TEXT PRIMARY KEY NOT NULL,
    email         TEXT NOT NULL,
    subject       TEXT NOT NULL UNIQUE,
    password_hash TEXT,
    created_at    TIMESTAMPTZ NOT NULL,
    updated_at    TIMESTAMPTZ NOT NULL
);
CREATE INDEX idx_user_account_email ON user_account (email);

CREATE TABLE user_api_key (
    id         TEXT PRIMARY KEY NOT NULL,
    user_id    TEXT NOT NULL REFERENCES user_account (id) ON DELETE CASCADE,
    key_hash   TEXT NOT NULL UNIQUE,
    name       TEXT,
    created_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX idx_user_api_key_user_id ON user_api_key (user_id);

CREATE TABLE room (
    id                  TEXT PRIMARY KEY NOT NULL,
    name                TEXT NOT NULL UNIQUE,
    user_id             TEXT NOT NULL REFERENCES user_account (id) ON DELETE CASCADE,
    created_at          TIMESTAMPTZ NOT NULL,
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
    ics_fetch_interval  BIGINT NOT NULL DEFAULT 300 CHECK (ics_fetch_interval > 0),
    ics_enabled         BOOLEAN NOT NULL DEFAULT FALSE,
    ics_last_sync       TIMESTAMPTZ,
    ics_last_etag       TEXT,
    platform            TEXT NOT NULL CHECK (platform IN ('whereby', 'daily', 'mock')),
    skip_consent        BOOLEAN NOT NULL DEFAULT FALSE,
    email_transcript_to TEXT,
    store_video         BOOLEAN NOT NULL DEFAULT FALSE
);
CREATE INDEX idx_room_user_id ON room (user_id);
CREATE INDEX idx_room_is_shared ON room (is_shared);
CREATE INDEX idx_room_ics_enabled ON room (ics_enabled);

CREATE TABLE calendar_event (
    id           TEXT PRIMARY KEY NOT NULL,
    room_id      TEXT NOT NULL REFERENCES room (id) ON DELETE CASCADE,
    ics_uid      TEXT NOT NULL,
    title        TEXT,
    description  TEXT,
    start_time   TIMESTAMPTZ NOT NULL,
    end_time     TIMESTAMPTZ NOT NULL,
    attendees    JSONB,
    location     TEXT,
    ics_raw_data TEXT,
    last_synced  TIMESTAMPTZ NOT NULL,
    is_deleted   BOOLEAN NOT NULL DEFAULT FALSE,
    created_at   TIMESTAMPTZ NOT NULL,
    updated_at   TIMESTAMPTZ NOT NULL,
    CONSTRAINT uq_room_calendar_event UNIQUE (room_id, ics_uid)
);
CREATE INDEX idx_calendar_event_room_start ON calendar_event (room_id, start_time);

CREATE TABLE meeting (
    id                            TEXT PRIMARY KEY NOT NULL,
    room_name                     TEXT NOT NULL,
    room_url                      TEXT NOT NULL,
    host_room_url                 TEXT NOT NULL,
    start_date                    TIMESTAMPTZ NOT NULL,
    end_date                      TIMESTAMPTZ NOT NULL,
    room_id                       TEXT REFERENCES room (id) ON DELETE CASCADE,
    is_locked                     BOOLEAN NOT NULL DEFAULT FALSE,
    room_mode                     TEXT NOT NULL DEFAULT 'normal'
                                  CHECK (room_mode IN ('normal', 'group')),
    recording_type                TEXT NOT NULL DEFAULT 'cloud'
                                  CHECK (recording_type IN ('none', 'local', 'cloud')),
    recording_trigger             TEXT NOT NULL DEFAULT 'automatic-2nd-participant'
                                  CHECK (recording_trigger IN ('none', 'prompt', 'automatic', 'automatic-2nd-participant')),
    num_clients                   BIGINT NOT NULL DEFAULT 0 CHECK (num_clients >= 0),
    is_active                     BOOLEAN NOT NULL DEFAULT TRUE,
    calendar_event_id             TEXT REFERENCES calendar_event (id) ON DELETE SET NULL,
    calendar_metadata             JSONB,
    platform                      TEXT NOT NULL CHECK (platform IN ('whereby', 'daily', 'mock')),
    daily_composed_video_s3_key   TEXT,
    daily_composed_video_duration BIGINT,
    store_video                   BOOLEAN NOT NULL DEFAULT FALSE
);
CREATE INDEX idx_meeting_room_id ON meeting (room_id);
CREATE INDEX idx_meeting_room_name ON meeting (room_name);
CREATE INDEX idx_meeting_calendar_event_id ON meeting (calendar_event_id);
CREATE INDEX idx_meeting_active ON meeting (is_active, end_date);

CREATE TABLE meeting_consent (
    id                TEXT PRIMARY KEY NOT NULL,
    meeting_id        TEXT NOT NULL REFERENCES meeting (id) ON DELETE CASCADE,
    user_id           TEXT,
    consent_given     BOOLEAN NOT NULL,
    consent_timestamp TIMESTAMPTZ NOT NULL
);
CREATE INDEX idx_meeting_consent_meeting_id ON meeting_consent (meeting_id);

CREATE TABLE recording (
    id          TEXT PRIMARY KEY NOT NULL,
    meeting_id  TEXT REFERENCES meeting (id) ON DELETE SET NULL,
    bucket_name TEXT NOT NULL,
    object_key  TEXT NOT NULL,
    recorded_at TIMESTAMPTZ NOT NULL,
    status      TEXT NOT NULL DEFAULT 'pending'
                CHECK (status IN ('pending', 'processing', 'completed', 'failed')),
    track_keys  JSONB,
    deleted_at  TIMESTAMPTZ
);
CREATE INDEX idx_recording_meeting_id ON recording (meeting_id);

-- One row per participant visit, whatever the platform.
CREATE TABLE participant_session (
    id         TEXT PRIMARY KEY NOT NULL,
    meeting_id TEXT NOT NULL REFERENCES meeting (id) ON DELETE CASCADE,
    room_id    TEXT NOT NULL REFERENCES room (id) ON DELETE CASCADE,
    session_id TEXT NOT NULL,
    user_id    TEXT,
    user_name  TEXT,
    joined_at  TIMESTAMPTZ NOT NULL,
    left_at    TIMESTAMPTZ,
    CHECK (left_at IS NULL OR left_at >= joined_at)
);
CREATE INDEX idx_participant_session_meeting_left ON participant_session (meeting_id, left_at);
CREATE INDEX idx_participant_session_room_id ON participant_session (room_id);
