//! Durable background jobs on the application's own database.
//!
//! Why not apalis: its SQL storages run their own sqlx migrator against the
//! same `_sqlx_migrations` table as ours (each refuses the other's entries
//! unless both ignore missing ones), ship a different storage type and API
//! per database where everything else here is one `Store` over both, and use
//! compile-time checked queries that need `SQLX_OFFLINE` in every build. The
//! queue we need is one table and six statements (`store/jobs.rs`): leases
//! with renewal, conditional writes, `SKIP LOCKED` on PostgreSQL.

mod backoff;
mod runner;
mod schedule;

use serde::{Deserialize, Serialize};

pub use backoff::retry_delay_ms;
pub use runner::{run_workers, Outcome, Runner};
pub use schedule::run_scheduler;

use crate::server::settings::Settings;
use crate::server::store::{NewJob, StoreError};
use crate::server::{recordings, services, AppState};

/// Work done in the background, as stored in the queue.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Job {
    /// Copy a finished recording from its platform into our storage.
    ProcessRecording { recording_id: String },
    /// Close meetings nobody uses any more.
    CloseInactiveMeetings,
    /// Bring Daily meetings' participants in line with Daily's presence.
    ReconcileDailyPresence,
    /// Remove recordings marked deleted from storage, then forget them.
    PurgeDeletedRecordings,
    /// Drop history older than its retention (deliveries, jobs, sessions).
    PruneHistory,
    /// Queue a sync of every room whose calendar is due.
    SyncDueCalendars,
    /// Fetch one room's calendar and bring its events up to date.
    SyncCalendar { room_id: String },
    /// Create the meetings of calendar events about to start; move or cancel
    /// those of events that moved or went.
    PrepareCalendarMeetings,
    /// Send a room's due webhook events, in order.
    DeliverRoomWebhooks { room_id: String },
    /// Turn a stored recording into its transcript.
    TranscribeRecording { recording_id: String },
    /// Gather a finished LiveKit meeting's audio tracks from the egress
    /// bucket into one recording.
    CollectLiveKitTracks { meeting_id: String, room_name: String },
}

/// Why an attempt failed, and whether another could succeed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum JobFailure {
    #[error("{0}")]
    Retry(String),
    #[error("{0}")]
    Permanent(String),
}

impl From<crate::server::AppError> for JobFailure {
    /// A refusal will be refused again; anything else may pass later.
    fn from(error: crate::server::AppError) -> Self {
        if error.status().is_client_error() {
            JobFailure::Permanent(error.detail())
        } else {
            JobFailure::Retry(error.detail())
        }
    }
}

impl From<StoreError> for JobFailure {
    fn from(error: StoreError) -> Self {
        JobFailure::Retry(error.to_string())
    }
}

impl Job {
    pub fn kind(&self) -> &'static str {
        match self {
            Job::ProcessRecording { .. } => "process_recording",
            Job::CloseInactiveMeetings => "close_inactive_meetings",
            Job::ReconcileDailyPresence => "reconcile_daily_presence",
            Job::PurgeDeletedRecordings => "purge_deleted_recordings",
            Job::PruneHistory => "prune_history",
            Job::SyncDueCalendars => "sync_due_calendars",
            Job::SyncCalendar { .. } => "sync_calendar",
            Job::PrepareCalendarMeetings => "prepare_calendar_meetings",
            Job::DeliverRoomWebhooks { .. } => "deliver_room_webhooks",
            Job::TranscribeRecording { .. } => "transcribe_recording",
            Job::CollectLiveKitTracks { .. } => "collect_livekit_tracks",
        }
    }

    /// Jobs with the same key never wait or run side by side.
    fn dedupe_key(&self) -> String {
        match self {
            Job::ProcessRecording { recording_id } => format!("process_recording:{recording_id}"),
            // One fetch per room at a time, across processes.
            Job::SyncCalendar { room_id } => format!("sync_calendar:{room_id}"),
            // One sender per room: its events leave in order.
            Job::DeliverRoomWebhooks { room_id } => format!("room_webhooks:{room_id}"),
            // A recording is transcribed once, however often it is asked for.
            Job::TranscribeRecording { recording_id } => format!("transcribe:{recording_id}"),
            // The room finishing and each track's egress ending ask for one gathering.
            Job::CollectLiveKitTracks { room_name, .. } => format!("livekit_tracks:{room_name}"),
            other => other.kind().to_owned(),
        }
    }

    async fn run(&self, state: &AppState) -> Result<(), JobFailure> {
        let now = chrono::Utc::now();
        match self {
            Job::ProcessRecording { recording_id } => {
                recordings::process_recording(state, recording_id).await
            }
            Job::CloseInactiveMeetings => {
                services::lifecycle::close_inactive_meetings(state, now).await?;
                Ok(())
            }
            Job::ReconcileDailyPresence => {
                services::lifecycle::reconcile_daily_presence(state, now).await?;
                Ok(())
            }
            Job::PurgeDeletedRecordings => recordings::purge_deleted(state).await,
            Job::PruneHistory => {
                services::retention::prune(state, now).await?;
                Ok(())
            }
            Job::SyncDueCalendars => {
                services::calendar::sync::queue_due(state, now).await?;
                Ok(())
            }
            Job::SyncCalendar { room_id } => {
                services::calendar::sync::sync_room(state, room_id, now).await?;
                Ok(())
            }
            Job::PrepareCalendarMeetings => services::calendar::meetings::prepare(state, now).await,
            Job::DeliverRoomWebhooks { room_id } => {
                services::room_webhooks::deliver::deliver_room(state, room_id).await?;
                Ok(())
            }
            Job::TranscribeRecording { recording_id } => {
                services::transcripts::pipeline::transcribe_recording(state, recording_id).await
            }
            Job::CollectLiveKitTracks {
                meeting_id,
                room_name,
            } => recordings::collect_livekit_tracks(state, meeting_id, room_name).await,
        }
    }

    /// Told after each failed attempt, so the job's subject shows it.
    async fn attempt_failed(
        &self,
        state: &AppState,
        error: &str,
        will_retry: bool,
    ) -> Result<(), StoreError> {
        match self {
            Job::ProcessRecording { recording_id } if will_retry => {
                state.store.mark_recording_retrying(recording_id, error).await?;
            }
            Job::ProcessRecording { recording_id } => {
                state.store.fail_recording(recording_id, error).await?;
            }
            Job::TranscribeRecording { recording_id } => {
                services::transcripts::pipeline::attempt_failed(state, recording_id, error, will_retry)
                    .await?;
            }
            _ => {}
        }
        Ok(())
    }
}

impl Job {
    /// The job as a queue row, due now (for writes that queue it together
    /// with others in one transaction).
    pub fn to_queue(&self, settings: &Settings) -> NewJob<'static> {
        NewJob {
            kind: self.kind(),
            payload: serde_json::to_string(self).expect("jobs serialize"),
            dedupe_key: Some(self.dedupe_key()),
            max_attempts: settings.jobs.max_attempts,
            run_at: now_ms(),
        }
    }
}

/// Queues `job`; None when an identical one is already waiting or running.
pub async fn enqueue(state: &AppState, job: &Job) -> Result<Option<String>, StoreError> {
    let row = job.to_queue(&state.settings);
    let id = state.store.enqueue_job(&row, row.run_at).await?;
    if id.is_some() {
        state.job_wakeup.notify_one();
    }
    Ok(id)
}

pub(crate) fn now_ms() -> i64 {
    chrono::Utc::now().timestamp_millis()
}

/// Resolves once `shutdown` says stop.
pub(crate) async fn stopped(shutdown: &mut tokio::sync::watch::Receiver<bool>) {
    // A closed channel means the owner is gone: stop too.
    let _ = shutdown.wait_for(|stop| *stop).await;
}
