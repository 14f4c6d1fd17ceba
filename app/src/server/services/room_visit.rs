//! What a participant opening `/{room}` or `/{room}/{meeting}` gets, in one
//! call: the call to join (with this visitor's join URL) or, when several
//! meetings are live, the list to choose from.

use chrono::Utc;

use super::meetings::{active_for_room, get_or_create, join};
use super::rooms;
use crate::server::auth::Caller;
use crate::server::{AppError, AppState};
use crate::types::{CallDetails, Meeting, MeetingChoice, RecordingType, RoomVisit};

pub async fn open(
    state: &AppState,
    caller: &Caller,
    room_name: &str,
    meeting_id: Option<&str>,
) -> Result<RoomVisit, AppError> {
    let room = rooms::by_name(state, caller, room_name).await?;
    let meeting_id = match meeting_id {
        Some(id) => id.to_owned(),
        None => {
            let now = Utc::now();
            let live: Vec<Meeting> = active_for_room(state, caller, room_name)
                .await?
                .into_iter()
                .filter(|meeting| meeting.start_date <= now)
                .collect();
            if live.len() > 1 {
                return Ok(RoomVisit {
                    room_name: room.name,
                    call: None,
                    choices: live.iter().map(choice).collect(),
                });
            }
            get_or_create(state, caller, room_name, false).await?.id
        }
    };
    let meeting = join(state, caller, room_name, &meeting_id).await?;
    Ok(RoomVisit {
        room_name: room.name.clone(),
        call: Some(CallDetails {
            room_name: room.name,
            meeting_id: meeting.id,
            platform: meeting.platform,
            join_url: meeting.room_url,
            records_to_cloud: meeting.recording_type == RecordingType::Cloud,
            // The room's current setting, as Reflector reads it: a change applies at once.
            skip_consent: room.skip_consent,
            store_video: meeting.store_video,
        }),
        choices: Vec::new(),
    })
}

fn choice(meeting: &Meeting) -> MeetingChoice {
    let title = meeting
        .calendar_metadata
        .as_ref()
        .and_then(|metadata| metadata.get("title"))
        .and_then(|title| title.as_str())
        .unwrap_or("Live meeting")
        .to_owned();
    MeetingChoice {
        meeting_id: meeting.id.clone(),
        title,
        started_at: meeting.start_date.timestamp_millis(),
        participants: meeting.num_clients,
    }
}
