use super::env_reader::EnvReader;

/// The background workers: how many, how often they look, how they retry.
#[derive(Debug, Clone)]
pub struct JobSettings {
    /// `RUN_WORKERS`: whether `reflector serve` also runs the workers (default
    /// true; set false when separate `reflector worker` processes do the work).
    pub run_in_server: bool,
    /// `WORKER_CONCURRENCY`: jobs one process runs at once.
    pub concurrency: usize,
    /// `JOB_POLL_INTERVAL_MS`: how often an idle worker looks for due jobs
    /// queued by other processes (jobs queued in-process wake it at once).
    pub poll_interval_ms: u64,
    /// `JOB_LEASE_SECONDS`: how long a claimed job stays a worker's without a
    /// renewal; a job whose worker died is taken over after this.
    pub lease_seconds: u64,
    /// `JOB_MAX_ATTEMPTS`: attempts before a job stays failed.
    pub max_attempts: i64,
    /// `JOB_RETRY_BASE_SECONDS`: the first retry's delay; each later one doubles, up to an hour.
    pub retry_base_seconds: u64,
    /// `MEETING_LIFECYCLE_INTERVAL_SECONDS`: how often inactive meetings are closed.
    pub lifecycle_interval_seconds: u64,
    /// `DAILY_PRESENCE_INTERVAL_SECONDS`: how often Daily presence is reconciled.
    pub presence_interval_seconds: u64,
    /// `CALENDAR_CHECK_INTERVAL_SECONDS`: how often due calendars are synced
    /// and meetings prepared for events about to start (at most 30).
    pub calendar_interval_seconds: u64,
    /// `CALENDAR_MEETING_LEAD_MINUTES`: how long before an event starts its
    /// meeting is created.
    pub calendar_lead_minutes: i64,
}

impl JobSettings {
    pub(super) fn read(env: &mut EnvReader<'_>) -> Self {
        JobSettings {
            run_in_server: env.flag("RUN_WORKERS", true),
            concurrency: env.parsed("WORKER_CONCURRENCY", 2usize).clamp(1, 64),
            poll_interval_ms: env.parsed("JOB_POLL_INTERVAL_MS", 1000u64).clamp(10, 60_000),
            lease_seconds: env.parsed("JOB_LEASE_SECONDS", 60u64).clamp(1, 3600),
            max_attempts: env.parsed("JOB_MAX_ATTEMPTS", 5i64).clamp(1, 100),
            retry_base_seconds: env.parsed("JOB_RETRY_BASE_SECONDS", 10u64).min(3600),
            lifecycle_interval_seconds: env
                .parsed("MEETING_LIFECYCLE_INTERVAL_SECONDS", 60u64)
                .clamp(1, 86_400),
            presence_interval_seconds: env
                .parsed("DAILY_PRESENCE_INTERVAL_SECONDS", 30u64)
                .clamp(1, 86_400),
            calendar_interval_seconds: env.parsed("CALENDAR_CHECK_INTERVAL_SECONDS", 30u64).clamp(1, 30),
            calendar_lead_minutes: env.parsed("CALENDAR_MEETING_LEAD_MINUTES", 5i64).clamp(0, 120),
        }
    }
}
