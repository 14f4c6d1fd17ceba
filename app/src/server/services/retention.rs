//! The periodic pruning of history past its retention (`*_RETENTION_DAYS`).

use chrono::{DateTime, Duration, Utc};

use crate::server::jobs::{self, Job};
use crate::server::store::{PruneBefore, Pruned, StoreError};
use crate::server::AppState;

pub async fn prune(state: &AppState, now: DateTime<Utc>) -> Result<Pruned, StoreError> {
    let keep = &state.settings.retention;
    let days = |count: u32| now - Duration::days(i64::from(count));
    let pruned = state
        .store
        .prune_history(&PruneBefore {
            webhook_events: days(keep.webhook_event_days),
            finished_jobs: days(keep.finished_job_days),
            sessions: days(keep.session_days),
            room_webhook_deliveries: days(keep.room_webhook_log_days),
        })
        .await?;
    if pruned != Pruned::default() {
        tracing::info!(?pruned, "old history pruned");
    }
    // Deleted recordings whose purge failed for good get another chance.
    if !state.store.deleted_recordings(1).await?.is_empty() {
        jobs::enqueue(state, &Job::PurgeDeletedRecordings).await?;
    }
    Ok(pruned)
}
