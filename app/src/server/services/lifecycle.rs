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

/// How far a platform's view of who is in a call may lag behind the joins
/// its webhooks already told us about: a session younger than this is
/// trusted over a platform that does not list it yet.
pub const PRESENCE_LAG_GRACE: Duration = Duration::minutes(2);

/// Why a meeting is kept open or closed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Verdict {
    Keep(&'static str),
    Close(&'static str),
}

/// What is known of a meeting's participants when its fate is decided.
#[derive(Debug, Clone, Copy)]
pub struct Presence<'a> {
    /// Our sessions of the meeting that are still open: when each joined.
    pub open_since: &'a [DateTime<Utc>],
    /// How many sessions we ever recorded for it.
    pub sessions_recorded: i64,
    /// The platform's sessions, or None when it could not be asked.
    pub platform_sessions: Option<&'a [SessionData]>,
    /// When the meeting was meant to be over: its calendar event's end for
    /// a calendar meeting (which stays joinable a while longer, for people
    /// who run over), its own end otherwise.
    pub scheduled_end: DateTime<Utc>,
}

pub fn verdict(meeting: &Meeting, presence: Presence<'_>, now: DateTime<Utc>) -> Verdict {
    let Some(sessions) = presence.platform_sessions else {
        return Verdict::Keep("the platform could not be asked");
    };
    if presence
        .open_since
        .iter()
        .any(|joined| now - *joined < PRESENCE_LAG_GRACE)
    {
        return Verdict::Keep("someone joined moments ago");
    }
    if sessions.iter().any(SessionData::is_live) {
        return Verdict::Keep("participants are in the call");
    }
    if !sessions.is_empty() || presence.sessions_recorded > 0 {
        return Verdict::Close("everyone left");
    }
    if now > presence.scheduled_end {
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
        // Ours first: a join that lands after this read is one the platform
        // already sees when it is asked next.
        let open = state.store.open_sessions(&meeting.id).await?;
        let (recorded, _) = state.store.session_counts(&meeting.id).await?;
        let platform_sessions = platform_sessions(state, &meeting).await;
        let open_since: Vec<DateTime<Utc>> = open.iter().map(|session| session.joined_at).collect();
        let event_end = match &meeting.calendar_event_id {
            Some(event) => state
                .store
                .calendar_event_by_id(event)
                .await?
                .map(|event| event.end_time),
            None => None,
        };
        let presence = Presence {
            open_since: &open_since,
            sessions_recorded: recorded,
            platform_sessions: platform_sessions.as_deref(),
            scheduled_end: event_end.unwrap_or(meeting.end_date),
        };
        if let Verdict::Close(reason) = verdict(&meeting, presence, now) {
            state.store.end_meeting(&meeting.id, now).await?;
            tracing::info!(meeting = %meeting.id, reason, "meeting closed");
            closed += 1;
        }
    }
    Ok(closed)
}

/// The platform's sessions of the meeting, or None when it cannot be asked.
async fn platform_sessions(state: &AppState, meeting: &Meeting) -> Option<Vec<SessionData>> {
    if !meeting.platform.capabilities().presence_api {
        return None;
    }
    let client = match state.platforms.client(meeting.platform) {
        Ok(client) => client,
        Err(error) => {
            tracing::warn!(meeting = %meeting.id, %error, "keeping a meeting open: its platform is not configured");
            return None;
        }
    };
    match client.room_sessions(&meeting.room_name).await {
        Ok(sessions) => Some(sessions),
        Err(error) => {
            tracing::warn!(meeting = %meeting.id, %error, "keeping a meeting open: its platform could not be asked");
            None
        }
    }
}

/// Opens the sessions Daily sees and we missed, closes the ones Daily no
/// longer sees (unless they joined too recently for Daily to show them), and
/// recounts.
pub async fn reconcile_daily_presence(state: &AppState, now: DateTime<Utc>) -> Result<(), StoreError> {
    let Ok(daily) = state.platforms.client(Platform::Daily) else {
        return Ok(());
    };
    for meeting in state.store.all_active_meetings(Some(Platform::Daily)).await? {
        let open = state.store.open_sessions(&meeting.id).await?;
        let present = match daily.room_sessions(&meeting.room_name).await {
            Ok(present) => present,
            Err(error) => {
                tracing::warn!(meeting = %meeting.id, %error, "Daily presence unavailable; left as is");
                continue;
            }
        };
        let open_ids: BTreeSet<&str> = open.iter().map(|session| session.session_id.as_str()).collect();
        let seen: BTreeSet<&str> = present.iter().map(|p| p.session_id.as_str()).collect();
        for participant in present
            .iter()
            .filter(|p| !open_ids.contains(p.session_id.as_str()))
        {
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
            .iter()
            .filter(|session| !seen.contains(session.session_id.as_str()))
            .filter(|session| now - session.joined_at >= PRESENCE_LAG_GRACE)
            .map(|session| session.session_id.clone())
            .collect();
        if !gone.is_empty() {
            state.store.close_sessions(&meeting.id, &gone, now).await?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests;
