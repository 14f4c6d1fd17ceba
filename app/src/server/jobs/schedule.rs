//! Periodic jobs. Every process that runs workers also schedules; the
//! queue's dedupe keys keep one copy of each periodic job waiting at a time,
//! however many processes there are.

use std::time::Duration;

use tokio::sync::watch;

use super::{enqueue, now_ms, Job};
use crate::server::AppState;

pub async fn run_scheduler(state: AppState, mut shutdown: watch::Receiver<bool>) {
    let settings = &state.settings.jobs;
    let mut lifecycle = tokio::time::interval(Duration::from_secs(settings.lifecycle_interval_seconds));
    let mut presence = tokio::time::interval(Duration::from_secs(settings.presence_interval_seconds));
    // Pruning is never urgent: its first run waits one interval, so a
    // starting server does only the work that is.
    let every = Duration::from_secs(state.settings.retention.interval_seconds);
    let mut retention = tokio::time::interval_at(tokio::time::Instant::now() + every, every);
    let mut calendars = tokio::time::interval(Duration::from_secs(settings.calendar_interval_seconds));
    let mut webhooks = tokio::time::interval(Duration::from_secs(state.settings.room_webhooks.poll_seconds));
    for interval in [
        &mut lifecycle,
        &mut presence,
        &mut retention,
        &mut calendars,
        &mut webhooks,
    ] {
        interval.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    }
    let daily_configured = state.platforms.daily().is_ok();
    loop {
        let job = tokio::select! {
            _ = lifecycle.tick() => {
                if let Err(error) = state.store.fail_abandoned_jobs(now_ms()).await {
                    tracing::warn!(%error, "could not sweep abandoned jobs");
                }
                Job::CloseInactiveMeetings
            }
            _ = presence.tick(), if daily_configured => Job::ReconcileDailyPresence,
            _ = retention.tick() => Job::PruneHistory,
            _ = calendars.tick() => {
                // Both every tick: syncing what is due, and preparing the
                // meetings of what is about to start.
                if let Err(error) = enqueue(&state, &Job::SyncDueCalendars).await {
                    tracing::warn!(%error, "could not schedule calendar syncs");
                }
                Job::PrepareCalendarMeetings
            }
            _ = webhooks.tick() => {
                // Not a job of its own: one indexed read, then a job per room.
                if let Err(error) = crate::server::services::room_webhooks::deliver::queue_due(&state, chrono::Utc::now()).await {
                    tracing::warn!(%error, "could not queue room webhook deliveries");
                }
                continue;
            }
            () = super::stopped(&mut shutdown) => return,
        };
        if let Err(error) = enqueue(&state, &job).await {
            tracing::warn!(%error, kind = job.kind(), "could not schedule a periodic job");
        }
    }
}
