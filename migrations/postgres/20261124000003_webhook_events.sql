-- Platform webhook deliveries already applied, so a redelivery is acknowledged
-- without being applied twice.
CREATE TABLE webhook_event (
    source      TEXT NOT NULL,
    event_id    TEXT NOT NULL,
    event_type  TEXT NOT NULL,
    received_at TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (source, event_id)
);

-- Recordings remember their platform and why they failed.
ALTER TABLE recording ADD COLUMN platform TEXT CHECK (platform IS NULL OR platform IN ('whereby', 'daily', 'mock'));
ALTER TABLE recording ADD COLUMN error TEXT;
CREATE UNIQUE INDEX idx_participant_session_meeting_session ON participant_session (meeting_id, session_id);
