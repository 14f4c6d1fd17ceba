//! Meetings' lifecycle in the background: close the ones nobody uses, and
//! keep Daily meetings' participants right when webhooks were missed.
//! A platform that cannot be asked never gets a meeting closed: unknown
//! means "maybe live".

use std::collections::BTreeSet;

use chrono::{DateTime, Duration, Utc};

use crate::server::platforms::SessionData;
use crate::server::store::{SessionEvent, StoreError};
use crate::server::AppState;
use crate::types::{Meeting, Platform};

/// An on-the-fly meeting nobody joined is closed after this long.
pub const UNUSED_MEETING_MINUTES: i64 = 30;

/// Why a meeting is kept open or closed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Verdict {
    Keep(&'static str),
    Close(&'static str),
}

/// What the platform says of the meeting's sessions, or None when it could
/// not be asked.
pub fn verdict(
    meeting: &Meeting,
    platform_sessions: Option<&[SessionData]>,
    sessions_recorded: i64,
    now: DateTime<Utc>,
) -> Verdict {
    let Some(sessions) = platform_sessions else {
        return Verdict::Keep("the platform could not be asked");
    };
    if sessions.iter().any(SessionData::is_live) {
        return Verdict::Keep("participants are in the call");
    }
    if !sessions.is_empty() || sessions_recorded > 0 {
        return Verdict::Close("everyone left");
    }
    if now > meeting.end_date {
        return Verdict::Close("past its end");
    }
    let unused_for = now - meeting.start_date;
    if meeting.calendar_event_id.is_none() && unused_for > Duration::minutes(UNUSED_MEETING_MINUTES) {
        return Verdict::Close("unused for 30 minutes");
    }
    Verdict::Keep("waiting for participants")
}

/// Closes the active meetings whose verdict says so; answers how many.
pub async fn close_inactive_meetings(state: &AppState, now: DateTime<Utc>) -> Result<usize, StoreError> {
    let mut closed = 0;
    for meeting in state.store.all_active_meetings(None).await? {
        let platform_sessions = match state.platforms.client(meeting.platform) {
            Ok(client) => match client.room_sessions(&meeting.room_name).await {
                Ok(sessions) => Some(sessions),
                Err(error) => {
                    tracing::warn!(meeting = %meeting.id, %error, "keeping a meeting open: its platform could not be asked");
                    None
                }
            },
            Err(error) => {
                tracing::warn!(meeting = %meeting.id, %error, "keeping a meeting open: its platform is not configured");
                None
            }
        };
        let (recorded, _open) = state.store.session_counts(&meeting.id).await?;
        if let Verdict::Close(reason) = verdict(&meeting, platform_sessions.as_deref(), recorded, now) {
            state.store.close_open_sessions(&meeting.id, now).await?;
            state.store.set_meeting_active(&meeting.id, false).await?;
            tracing::info!(meeting = %meeting.id, reason, "meeting closed");
            closed += 1;
        }
    }
    Ok(closed)
}

/// Opens the sessions Daily sees and we missed, closes the ones Daily no
/// longer sees, and sets the participant count to Daily's.
pub async fn reconcile_daily_presence(state: &AppState, now: DateTime<Utc>) -> Result<(), StoreError> {
    let Ok(daily) = state.platforms.client(Platform::Daily) else {
        return Ok(());
    };
    for meeting in state.store.all_active_meetings(Some(Platform::Daily)).await? {
        let present = match daily.room_sessions(&meeting.room_name).await {
            Ok(present) => present,
            Err(error) => {
                tracing::warn!(meeting = %meeting.id, %error, "Daily presence unavailable; left as is");
                continue;
            }
        };
        let open: BTreeSet<String> = state
            .store
            .open_session_ids(&meeting.id)
            .await?
            .into_iter()
            .collect();
        let seen: BTreeSet<&str> = present.iter().map(|p| p.session_id.as_str()).collect();
        for participant in present.iter().filter(|p| !open.contains(&p.session_id)) {
            state
                .store
                .record_session(
                    &meeting,
                    &SessionEvent {
                        session_id: &participant.session_id,
                        user_id: participant.user_id.as_deref(),
                        user_name: participant.user_name.as_deref(),
                        joined_at: participant.started_at.unwrap_or(now),
                        left_at: None,
                    },
                )
                .await?;
        }
        let gone: Vec<String> = open
            .into_iter()
            .filter(|id| !seen.contains(id.as_str()))
            .collect();
        if !gone.is_empty() {
            state.store.close_sessions(&meeting.id, &gone, now).await?;
        }
        state
            .store
            .set_num_clients(&meeting.id, present.len() as i64)
            .await?;
    }
    Ok(())
}

#[cfg(test)]
mod tests;
