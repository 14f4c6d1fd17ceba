-- LiveKit and Jitsi rooms: every column naming a platform accepts them.
ALTER TABLE room DROP CONSTRAINT room_platform_check,
    ADD CONSTRAINT room_platform_check
        CHECK (platform IN ('whereby', 'daily', 'livekit', 'jitsi', 'mock'));
ALTER TABLE meeting DROP CONSTRAINT meeting_platform_check,
    ADD CONSTRAINT meeting_platform_check
        CHECK (platform IN ('whereby', 'daily', 'livekit', 'jitsi', 'mock'));
ALTER TABLE meeting DROP CONSTRAINT meeting_failover_from_check,
    ADD CONSTRAINT meeting_failover_from_check
        CHECK (failover_from IN ('whereby', 'daily', 'livekit', 'jitsi', 'mock'));
ALTER TABLE recording DROP CONSTRAINT recording_platform_check,
    ADD CONSTRAINT recording_platform_check
        CHECK (platform IS NULL OR platform IN ('whereby', 'daily', 'livekit', 'jitsi', 'mock'));
