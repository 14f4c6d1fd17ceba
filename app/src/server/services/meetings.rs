//! Meetings: get-or-create through the platform abstraction, joining,
//! consent, deactivation and Daily recordings.

use chrono::{Duration, Utc};

use std::sync::Arc;

use super::failover::{create_on_available_platform, Created};
use super::lease::with_lease;
use super::permissions::{is_owner, require_owner, require_user};
use super::rooms::{room_named, room_not_found};
use super::single_flight::run_detached;
use crate::server::auth::Caller;
use crate::server::platforms::{
    platform_for_room, JoinAs, MeetingRequest, PlatformError, RecordingStart, VideoPlatform,
};
use crate::server::{AppError, AppState};
use crate::types::{
    error_codes, ConsentRecorded, DailyRecordingKind, Meeting, NewMeeting, Platform, RecordingType, Room,
    StartRecording,
};

/// How long an on-the-fly meeting is scheduled for.
pub const MEETING_LENGTH: Duration = Duration::hours(8);

fn meeting_not_found() -> AppError {
    AppError::NotFound("Meeting not found".into()).with_code(error_codes::MEETING_NOT_FOUND)
}

async fn meeting_with_id(state: &AppState, meeting_id: &str) -> Result<Meeting, AppError> {
    state
        .store
        .meeting_by_id(meeting_id)
        .await?
        .ok_or_else(meeting_not_found)
}

/// The meeting as `caller` may see it: the host URL is the owner's only.
pub fn meeting_view(caller: &Caller, room: &Room, mut meeting: Meeting) -> Meeting {
    if !is_owner(caller, room) {
        meeting.host_room_url = String::new();
    }
    meeting
}

/// Whether `meeting` still reflects the room's current settings (a meeting
/// that failed over from the room's platform counts as on it).
fn matches_room(meeting: &Meeting, room: &Room, platform: Platform) -> bool {
    (meeting.platform == platform || meeting.failover_from == Some(platform))
        && meeting.is_locked == room.is_locked
        && meeting.room_mode == room.room_mode
        && meeting.recording_type == room.recording_type
        && meeting.recording_trigger == room.recording_trigger
        && meeting.store_video == room.store_video
}

async fn reusable_meeting(
    state: &AppState,
    room: &Room,
    platform: Platform,
) -> Result<Option<Meeting>, AppError> {
    let active = state.store.active_meetings_for_room(&room.id, Utc::now()).await?;
    Ok(active
        .into_iter()
        .find(|meeting| matches_room(meeting, room, platform)))
}

/// The room's live meeting, or a new one on the room's platform. Concurrent
/// callers (in any process sharing the database) get the same meeting, and
/// a creation runs to completion even when its caller leaves.
/// `allow_duplicated` always makes a new one, and only the room's owner may
/// ask for it since every platform meeting costs them.
pub async fn get_or_create(
    state: &AppState,
    caller: &Caller,
    room_name: &str,
    allow_duplicated: bool,
) -> Result<Meeting, AppError> {
    let room = room_named(state, room_name).await?;
    let platform = platform_for_room(&state.settings, &room);
    let meeting = if allow_duplicated {
        require_owner(
            caller,
            &room,
            "Only the room owner can open an additional meeting",
        )?;
        run_detached(create_meeting(
            state.clone(),
            room.clone(),
            platform,
            Schedule::from_now(),
        ))
        .await?
    } else if let Some(meeting) = reusable_meeting(state, &room, platform).await? {
        meeting
    } else {
        let creation = {
            let (state, room) = (state.clone(), room.clone());
            || create_unless_reusable(state, room, platform)
        };
        state.meeting_creations.run(&room.id, creation).await?
    };
    Ok(meeting_view(caller, &room, meeting))
}

/// Under the room's lease (one creation at a time across processes): the
/// meeting another caller made meanwhile, or a new one.
async fn create_unless_reusable(
    state: AppState,
    room: Room,
    platform: Platform,
) -> Result<Meeting, AppError> {
    let key = format!("meeting-creation:{}", room.id);
    // Long enough for a holder's platform call with its retries.
    let wait = std::time::Duration::from_secs(3 * state.settings.platform_timeout_seconds + 10);
    with_lease(&state, &key, wait, async {
        if let Some(meeting) = reusable_meeting(&state, &room, platform).await? {
            return Ok(meeting);
        }
        create_meeting(state.clone(), room.clone(), platform, Schedule::from_now()).await
    })
    .await
}

/// Runs `work` under the room's meeting-creation lease: one creation per room
/// at a time, across processes.
pub(crate) async fn with_room_lease<T>(
    state: &AppState,
    room: &Room,
    work: impl std::future::Future<Output = Result<T, AppError>>,
) -> Result<T, AppError> {
    let key = format!("meeting-creation:{}", room.id);
    // Long enough for a holder's platform call with its retries.
    let wait = std::time::Duration::from_secs(3 * state.settings.platform_timeout_seconds + 10);
    with_lease(state, &key, wait, work).await
}

/// Asks the platform first and records the meeting only once it exists there,
/// so a platform failure leaves no row behind.
/// When a new meeting runs, and the calendar event it is for.
pub(crate) struct Schedule {
    pub start: chrono::DateTime<Utc>,
    pub end: chrono::DateTime<Utc>,
    pub calendar_event_id: Option<String>,
    pub calendar_metadata: Option<serde_json::Value>,
}

impl Schedule {
    /// An on-the-fly meeting: from now, for `MEETING_LENGTH`.
    pub fn from_now() -> Self {
        let start = Utc::now();
        Schedule {
            start,
            end: start + MEETING_LENGTH,
            calendar_event_id: None,
            calendar_metadata: None,
        }
    }
}

pub(crate) async fn create_meeting(
    state: AppState,
    room: Room,
    platform: Platform,
    schedule: Schedule,
) -> Result<Meeting, AppError> {
    let request = MeetingRequest {
        room: room.clone(),
        start: schedule.start,
        end: schedule.end,
    };
    let Created {
        platform,
        client,
        data,
        failover,
    } = create_on_available_platform(&state, platform, &request).await?;
    let meeting = NewMeeting {
        id: data.meeting_id,
        room_name: data.room_name,
        room_url: data.room_url,
        host_room_url: data.host_room_url,
        start_date: request.start,
        end_date: request.end,
        platform,
        calendar_event_id: schedule.calendar_event_id,
        calendar_metadata: schedule.calendar_metadata,
        failover,
    };
    let created = state.store.insert_meeting(&room, &meeting).await?;
    tracing::info!(room = %room.name, meeting = %created.id, platform = %platform, "meeting created");
    if let Some(path) = state.settings.room_logo_path.clone() {
        // Decoration: never makes anyone wait, never fails the meeting.
        tokio::spawn(upload_logo(client, created.room_name.clone(), path));
    }
    Ok(created)
}

async fn upload_logo(client: Arc<dyn VideoPlatform>, platform_room: String, path: std::path::PathBuf) {
    match tokio::fs::read(&path).await {
        Ok(image) => {
            if let Err(error) = client.upload_logo(&platform_room, &image).await {
                tracing::warn!(%error, "room logo upload failed; the meeting works without it");
            }
        }
        Err(error) => tracing::warn!(%error, path = %path.display(), "ROOM_LOGO_PATH cannot be read"),
    }
}

pub async fn active_for_room(
    state: &AppState,
    caller: &Caller,
    room_name: &str,
) -> Result<Vec<Meeting>, AppError> {
    let room = room_named(state, room_name).await?;
    let meetings = state.store.active_meetings_for_room(&room.id, Utc::now()).await?;
    Ok(meetings
        .into_iter()
        .map(|meeting| meeting_view(caller, &room, meeting))
        .collect())
}

async fn room_and_meeting(
    state: &AppState,
    room_name: &str,
    meeting_id: &str,
) -> Result<(Room, Meeting), AppError> {
    let room = room_named(state, room_name).await?;
    let meeting = meeting_with_id(state, meeting_id).await?;
    if meeting.room_id.as_deref() != Some(room.id.as_str()) {
        return Err(meeting_not_found());
    }
    Ok((room, meeting))
}

pub async fn in_room(
    state: &AppState,
    caller: &Caller,
    room_name: &str,
    meeting_id: &str,
) -> Result<Meeting, AppError> {
    let (room, meeting) = room_and_meeting(state, room_name, meeting_id).await?;
    Ok(meeting_view(caller, &room, meeting))
}

/// The meeting with the URL this caller opens: Daily adds a meeting token for
/// signed-in users, Whereby gives the owner the host URL.
pub async fn join(
    state: &AppState,
    caller: &Caller,
    room_name: &str,
    meeting_id: &str,
) -> Result<Meeting, AppError> {
    let (room, meeting) = room_and_meeting(state, room_name, meeting_id).await?;
    if !meeting.is_live(Utc::now()) {
        return Err(if meeting.is_active {
            AppError::BadRequest("Meeting has ended".into()).with_code(error_codes::MEETING_ENDED)
        } else {
            AppError::BadRequest("Meeting is not active".into()).with_code(error_codes::MEETING_NOT_ACTIVE)
        });
    }
    let who = JoinAs {
        user_id: caller.user_id().map(str::to_owned),
        is_owner: is_owner(caller, &room),
        name: caller
            .user()
            .map(|user| user.email.split('@').next().unwrap_or_default().to_owned()),
        email: caller.user().map(|user| user.email.clone()),
        recording_ui: meeting.recording_type == RecordingType::Local
            || (meeting.recording_type == RecordingType::Cloud && room.skip_consent),
    };
    let url = state
        .platforms
        .client(meeting.platform)?
        .join_url(&meeting, &who)
        .await?;
    let mut view = meeting_view(caller, &room, meeting);
    view.room_url = url;
    Ok(view)
}

pub async fn record_consent(
    state: &AppState,
    caller: &Caller,
    meeting_id: &str,
    given: bool,
) -> Result<ConsentRecorded, AppError> {
    let meeting = meeting_with_id(state, meeting_id).await?;
    let consent_id = state
        .store
        .record_consent(&meeting.id, caller.user_id(), given)
        .await?;
    Ok(ConsentRecorded {
        status: "success".into(),
        consent_id,
    })
}

/// The meeting, if `caller` owns its room: 401 anonymous, 404 unknown
/// meeting or room, 403 (with `refusal`) for anyone else.
pub(crate) async fn owned_meeting(
    state: &AppState,
    caller: &Caller,
    meeting_id: &str,
    refusal: &str,
) -> Result<Meeting, AppError> {
    require_user(caller)?;
    let meeting = meeting_with_id(state, meeting_id).await?;
    let room_id = meeting.room_id.as_deref().ok_or_else(room_not_found)?;
    let room = state
        .store
        .room_by_id(room_id)
        .await?
        .ok_or_else(room_not_found)?;
    require_owner(caller, &room, refusal)?;
    Ok(meeting)
}

pub async fn deactivate(state: &AppState, caller: &Caller, meeting_id: &str) -> Result<(), AppError> {
    let meeting = owned_meeting(
        state,
        caller,
        meeting_id,
        "Only the room owner can deactivate meetings",
    )
    .await?;
    state.store.end_meeting(&meeting.id, Utc::now()).await?;
    Ok(())
}

/// Reflector's instance ids for a meeting's recordings, the same in every
/// participant's browser so that concurrent starts are one recording:
/// raw tracks under a UUIDv5 of the meeting id, composed video under the
/// meeting id itself.
pub fn recording_instance_id(meeting_id: &str, kind: DailyRecordingKind) -> String {
    match kind {
        DailyRecordingKind::RawTracks => {
            uuid::Uuid::new_v5(&RAW_TRACKS_NAMESPACE, meeting_id.as_bytes()).to_string()
        }
        DailyRecordingKind::Cloud => meeting_id.to_owned(),
    }
}

const RAW_TRACKS_NAMESPACE: uuid::Uuid = uuid::uuid!("a1b2c3d4-e5f6-7890-abcd-ef1234567890");

/// A participant's browser asks for the meeting's recording of `kind` to
/// run; answers whether this call started it (false: it already ran).
pub async fn start_recording_of_kind(
    state: &AppState,
    meeting_id: &str,
    kind: DailyRecordingKind,
) -> Result<bool, AppError> {
    let request = StartRecording {
        kind,
        instance_id: recording_instance_id(meeting_id, kind),
    };
    Ok(start_recording(state, meeting_id, &request).await?.is_some())
}

/// Starts a Daily recording. Answers `Ok(None)` when that instance already
/// records (Daily: "has an active stream").
pub async fn start_recording(
    state: &AppState,
    meeting_id: &str,
    request: &StartRecording,
) -> Result<Option<serde_json::Value>, AppError> {
    // The hyphenated form only, as the OpenAPI document's `uuid` format says
    // (the parser also takes braces, URNs and bare hex).
    if request.instance_id.len() != 36 || uuid::Uuid::parse_str(&request.instance_id).is_err() {
        return Err(AppError::Unprocessable("instanceId: must be a UUID".into()));
    }
    let meeting = meeting_with_id(state, meeting_id).await?;
    if meeting.platform != Platform::Daily {
        return Err(AppError::BadRequest(format!(
            "Recordings are started this way only in Daily meetings; this meeting is on {}",
            meeting.platform.label()
        )));
    }
    if !meeting.is_live(Utc::now()) {
        return Err(AppError::BadRequest("Meeting is not active".into()));
    }
    if meeting.recording_type != RecordingType::Cloud {
        return Err(AppError::BadRequest(
            "This meeting does not record to the cloud".into(),
        ));
    }
    if request.kind == DailyRecordingKind::Cloud && !meeting.store_video {
        return Err(AppError::BadRequest(
            "This meeting's room does not store video: only raw-tracks recordings can be started".into(),
        ));
    }
    let daily = state.platforms.daily()?;
    match daily
        .start_recording(&meeting.room_name, request.kind.as_str(), &request.instance_id)
        .await
    {
        Ok(RecordingStart::Started(result)) => Ok(Some(result)),
        Ok(RecordingStart::AlreadyActive) => Ok(None),
        Err(error @ PlatformError::NotConfigured(_)) => Err(error.into()),
        Err(error) => {
            tracing::warn!(%error, meeting = %meeting.id, "recording start failed");
            let refusal = AppError::BadGateway(format!("Failed to start recording: {error}"));
            // Daily's only way of saying "too early: nobody is in the call yet".
            let too_early = matches!(&error, PlatformError::Upstream { message, .. }
                if message.contains("does not seem to be hosting a call"));
            Err(if too_early {
                refusal.with_code(error_codes::CALL_NOT_STARTED)
            } else {
                refusal
            })
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn recording_instance_ids_match_reflectors() {
        let meeting = "3f1c6a0e-0000-4000-8000-000000000001";
        // uuid5(UUID("a1b2c3d4-e5f6-7890-abcd-ef1234567890"), meeting), as Python computes it.
        assert_eq!(
            recording_instance_id(meeting, DailyRecordingKind::RawTracks),
            "a8eda2d1-e12e-50ad-b218-702298fe654c"
        );
        assert_eq!(recording_instance_id(meeting, DailyRecordingKind::Cloud), meeting);
    }
}
