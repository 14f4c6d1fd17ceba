use super::env_reader::EnvReader;

/// How long records that only serve as history are kept before the periodic
/// pruning job removes them.
#[derive(Debug, Clone)]
pub struct RetentionSettings {
    /// `WEBHOOK_EVENT_RETENTION_DAYS`: remembered platform deliveries (a
    /// platform redelivers within hours; older ones cannot come back).
    pub webhook_event_days: u32,
    /// `JOB_RETENTION_DAYS`: finished jobs (completed or failed for good).
    pub finished_job_days: u32,
    /// `SESSION_RETENTION_DAYS`: participant sessions of meetings that ended.
    pub session_days: u32,
    /// `ROOM_WEBHOOK_LOG_RETENTION_DAYS`: room webhook deliveries that are
    /// done (delivered or given up), with their attempts.
    pub room_webhook_log_days: u32,
    /// `RETENTION_INTERVAL_SECONDS`: how often the pruning job runs.
    pub interval_seconds: u64,
}

impl RetentionSettings {
    pub(super) fn read(env: &mut EnvReader<'_>) -> Self {
        RetentionSettings {
            webhook_event_days: env.parsed("WEBHOOK_EVENT_RETENTION_DAYS", 30u32).clamp(1, 36_500),
            finished_job_days: env.parsed("JOB_RETENTION_DAYS", 30u32).clamp(1, 36_500),
            session_days: env.parsed("SESSION_RETENTION_DAYS", 365u32).clamp(1, 36_500),
            room_webhook_log_days: env
                .parsed("ROOM_WEBHOOK_LOG_RETENTION_DAYS", 30u32)
                .clamp(1, 36_500),
            interval_seconds: env
                .parsed("RETENTION_INTERVAL_SECONDS", 3600u64)
                .clamp(1, 7 * 86_400),
        }
    }
}
