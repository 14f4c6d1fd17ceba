-- Our copies of a recording's per-participant audio tracks (Daily
-- raw-tracks), each with the platform session it belongs to and where it
-- starts on the recording's timeline. NULL for single-file recordings.
ALTER TABLE recording ADD COLUMN stored_tracks JSONB;
