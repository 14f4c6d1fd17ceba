use std::time::Duration;

use super::env_reader::EnvReader;

/// Sending rooms' events to their webhooks.
#[derive(Debug, Clone)]
pub struct RoomWebhookSettings {
    /// `ROOM_WEBHOOK_TIMEOUT_SECONDS`: one attempt's limit, from connecting
    /// to the receiver's answer.
    pub timeout: Duration,
    /// `ROOM_WEBHOOK_RETRY_HOURS`: how long an event is retried before it
    /// is given up (from when it happened, or from a redelivery).
    pub retry_hours: i64,
    /// `ROOM_WEBHOOK_RETRY_BASE_SECONDS`: the first retry waits between half
    /// and all of this; each later one doubles, up to an hour.
    pub retry_base_seconds: u64,
    /// `ROOM_WEBHOOK_POLL_SECONDS`: how often rooms with events due are
    /// looked for.
    pub poll_seconds: u64,
}

impl RoomWebhookSettings {
    pub(super) fn read(env: &mut EnvReader<'_>) -> Self {
        RoomWebhookSettings {
            timeout: Duration::from_secs(env.parsed("ROOM_WEBHOOK_TIMEOUT_SECONDS", 10u64).clamp(1, 120)),
            retry_hours: env.parsed("ROOM_WEBHOOK_RETRY_HOURS", 24i64).clamp(0, 24 * 7),
            retry_base_seconds: env
                .parsed("ROOM_WEBHOOK_RETRY_BASE_SECONDS", 20u64)
                .clamp(1, 3600),
            poll_seconds: env.parsed("ROOM_WEBHOOK_POLL_SECONDS", 2u64).clamp(1, 60),
        }
    }
}
