-- A meeting that runs on another platform than its room's, because that
-- one was down: which platform it failed over from, and why.
ALTER TABLE meeting ADD COLUMN failover_from TEXT CHECK (failover_from IN ('whereby', 'daily', 'mock'));
ALTER TABLE meeting ADD COLUMN failover_reason TEXT;

-- A room's own fallback platforms, in order ('' = the server's
-- FALLBACK_VIDEO_PLATFORMS).
ALTER TABLE room ADD COLUMN fallback_platforms TEXT NOT NULL DEFAULT '';

-- Only Daily records a composed video: the setting never did anything on
-- other platforms, and the API now refuses it there.
UPDATE room SET store_video = FALSE WHERE platform <> 'daily';
