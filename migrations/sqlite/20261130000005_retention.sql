-- The pruning job's lookups: old deliveries, old sessions, deleted recordings.
CREATE INDEX idx_webhook_event_received_at ON webhook_event (received_at);
CREATE INDEX idx_participant_session_left_at ON participant_session (left_at);
CREATE INDEX idx_recording_deleted_at ON recording (deleted_at);
