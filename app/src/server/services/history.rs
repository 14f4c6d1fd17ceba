//! A room's history for its owner: one page of its meetings, newest first,
//! each with who came and went, the consent answers, its recordings and
//! their transcripts. Behind `GET /v1/rooms/{name}/history` and the
//! `room_history` server function alike.

use std::collections::HashMap;

use chrono::{DateTime, Utc};

use super::paging;
use super::permissions::{require_owner, require_user};
use super::recordings;
use super::rooms::room_named;
use crate::server::auth::Caller;
use crate::server::store::Visit;
use crate::server::{AppError, AppState};
use crate::types::{Attendance, Meeting, PastMeeting, RecordingView, RoomHistory};

const REFUSAL: &str = "Only the room owner can see its history";

pub async fn of_room(
    state: &AppState,
    caller: &Caller,
    room_name: &str,
    page: i64,
    size: i64,
) -> Result<RoomHistory, AppError> {
    require_user(caller)?;
    let offset = paging::offset(page, size)?;
    let room = room_named(state, room_name).await?;
    require_owner(caller, &room, REFUSAL)?;
    let store = &state.store;
    let (meetings, total) = store.meetings_of_room(&room.id, size, offset).await?;
    let visits = store.visits_of_room_meetings(&room.id, size, offset).await?;
    let consents = store.consent_counts_of_room(&room.id).await?;
    let mut recordings: HashMap<String, Vec<RecordingView>> = HashMap::new();
    for recording in recordings::of_room(state, caller, &room.id).await? {
        if let Some(meeting) = recording.meeting_id.clone() {
            recordings.entry(meeting).or_default().push(recording);
        }
    }
    let now = Utc::now();
    let meetings = meetings
        .into_iter()
        .map(|meeting| {
            let attendance = attendance_of(&meeting.id, &visits);
            let (given, declined) = consents.get(&meeting.id).copied().unwrap_or_default();
            let recordings = recordings.remove(&meeting.id).unwrap_or_default();
            past_meeting(meeting, attendance, (given, declined), recordings, now)
        })
        .collect();
    Ok(RoomHistory {
        room_name: room.name,
        meetings,
        total,
        page,
        size,
        pages: paging::page_count(total, size),
    })
}

fn attendance_of(meeting_id: &str, visits: &[Visit]) -> Vec<Attendance> {
    visits
        .iter()
        .filter(|visit| visit.meeting_id == meeting_id)
        .map(|visit| Attendance {
            name: visit
                .user_name
                .clone()
                .filter(|name| !name.trim().is_empty())
                .unwrap_or_else(|| "Guest".into()),
            joined_at: visit.joined_at,
            left_at: visit.left_at,
        })
        .collect()
}

/// A meeting that is over ended when its last visitor left (unknown when
/// nobody came).
fn past_meeting(
    meeting: Meeting,
    attendance: Vec<Attendance>,
    (consents_given, consents_declined): (i64, i64),
    recordings: Vec<RecordingView>,
    now: DateTime<Utc>,
) -> PastMeeting {
    let is_live = meeting.is_live(now);
    let last_left = attendance
        .iter()
        .map(|visit| visit.left_at)
        .collect::<Option<Vec<_>>>();
    let ended_at = last_left
        .and_then(|lefts| lefts.into_iter().max())
        .filter(|_| !is_live);
    PastMeeting {
        id: meeting.id,
        start_date: meeting.start_date,
        ended_at,
        is_live,
        platform: meeting.platform,
        failover_from: meeting.failover_from,
        failover_reason: meeting.failover_reason,
        attendance,
        consents_given,
        consents_declined,
        recordings,
    }
}
