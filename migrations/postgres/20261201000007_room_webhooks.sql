-- Room webhooks: which events a room sends (',kind,kind,'; NULL: every kind),
-- the events waiting for or done with delivery (one row per event, in the
-- order they happened: seq), and every attempt at sending one.
ALTER TABLE room ADD COLUMN webhook_events TEXT;

CREATE TABLE room_webhook_delivery (
    seq             BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    event_id        TEXT NOT NULL UNIQUE,
    room_id         TEXT NOT NULL REFERENCES room (id) ON DELETE CASCADE,
    event           TEXT NOT NULL CHECK (event IN ('meeting.started', 'meeting.ended', 'participant.joined',
                        'participant.left', 'recording.ready', 'recording.failed', 'transcript.completed', 'test')),
    data            JSONB NOT NULL,
    occurred_at     TIMESTAMPTZ NOT NULL,
    status          TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'delivered', 'failed')),
    attempts        BIGINT NOT NULL DEFAULT 0,
    next_attempt_at TIMESTAMPTZ,
    retry_until     TIMESTAMPTZ
);
CREATE INDEX idx_room_webhook_delivery_room ON room_webhook_delivery (room_id, status, seq);
CREATE INDEX idx_room_webhook_delivery_due ON room_webhook_delivery (status, next_attempt_at);

CREATE TABLE room_webhook_attempt (
    id               BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    delivery_seq     BIGINT NOT NULL REFERENCES room_webhook_delivery (seq) ON DELETE CASCADE,
    retry            BIGINT NOT NULL,
    attempted_at     TIMESTAMPTZ NOT NULL,
    status_code      BIGINT,
    duration_ms      BIGINT NOT NULL,
    error            TEXT,
    response_preview TEXT
);
CREATE INDEX idx_room_webhook_attempt_delivery ON room_webhook_attempt (delivery_seq, id);
