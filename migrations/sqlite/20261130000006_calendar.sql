-- Calendar events, one row per instance: a recurring event's instances each
-- have their own row, keyed by the instance's original start (RECURRENCE-ID;
-- '' for an event that does not recur). Nothing wrote this table before
-- calendar sync existed, so it is simply made anew.
DROP TABLE calendar_event;
CREATE TABLE calendar_event (
    id           TEXT PRIMARY KEY NOT NULL,
    room_id      TEXT NOT NULL REFERENCES room (id) ON DELETE CASCADE,
    ics_uid      TEXT NOT NULL,
    instance_key TEXT NOT NULL DEFAULT '',
    title        TEXT,
    description  TEXT,
    start_time   TEXT NOT NULL,
    end_time     TEXT NOT NULL,
    all_day      BOOLEAN NOT NULL DEFAULT FALSE,
    attendees    TEXT,
    location     TEXT,
    ics_raw_data TEXT,
    last_synced  TEXT NOT NULL,
    is_deleted   BOOLEAN NOT NULL DEFAULT FALSE,
    created_at   TEXT NOT NULL,
    updated_at   TEXT NOT NULL,
    CONSTRAINT uq_room_calendar_event_instance UNIQUE (room_id, ics_uid, instance_key)
);
CREATE INDEX idx_calendar_event_room_start ON calendar_event (room_id, start_time);

-- The last sync's validators (ETag is already there) and its result.
ALTER TABLE room ADD COLUMN ics_last_modified TEXT;
ALTER TABLE room ADD COLUMN ics_last_result TEXT;

-- One meeting per event instance, whatever the number of processes.
CREATE UNIQUE INDEX idx_meeting_one_per_calendar_event ON meeting (calendar_event_id)
    WHERE calendar_event_id IS NOT NULL;
