-- Calendar events, one row per instance: a recurring event's instances each
-- have their own row, keyed by the instance's original start (RECURRENCE-ID;
-- '' for an event that does not recur).
ALTER TABLE calendar_event DROP CONSTRAINT uq_room_calendar_event;
ALTER TABLE calendar_event ADD COLUMN instance_key TEXT NOT NULL DEFAULT '';
ALTER TABLE calendar_event ADD COLUMN all_day BOOLEAN NOT NULL DEFAULT FALSE;
ALTER TABLE calendar_event ADD CONSTRAINT uq_room_calendar_event_instance UNIQUE (room_id, ics_uid, instance_key);

-- The last sync's validators (ETag is already there) and its result.
ALTER TABLE room ADD COLUMN ics_last_modified TEXT;
ALTER TABLE room ADD COLUMN ics_last_result JSONB;

-- One meeting per event instance, whatever the number of processes.
CREATE UNIQUE INDEX idx_meeting_one_per_calendar_event ON meeting (calendar_event_id)
    WHERE calendar_event_id IS NOT NULL;
