//! Finding the meeting a visitor should be in: the room, then either the
//! meeting in the address or the room's live meeting (created on demand),
//! then the join URL for this visitor.

use crate::api::{active_meetings, get_or_create_meeting, join_meeting, room_by_name};
use crate::types::{ApiError, Meeting, Room};

#[derive(Clone)]
pub enum RoomLoad {
    Loading,
    /// Several meetings are live: the visitor picks one.
    Choose(Box<Room>, Vec<Meeting>),
    Ready(Box<Room>, Box<Meeting>),
    Failed(String),
}

pub async fn load_room(room_name: String, meeting_id: Option<String>) -> RoomLoad {
    match try_load(&room_name, meeting_id).await {
        Ok(load) => load,
        Err(error) => RoomLoad::Failed(explain(&error)),
    }
}

async fn try_load(room_name: &str, meeting_id: Option<String>) -> Result<RoomLoad, ApiError> {
    let room = room_by_name(room_name.to_owned()).await?;
    let meeting_id = match meeting_id {
        Some(id) => id,
        None => {
            let now = crate::browser::timer::now_ms() as i64;
            let live: Vec<Meeting> = active_meetings(room_name.to_owned())
                .await?
                .into_iter()
                .filter(|meeting| meeting.start_date.timestamp_millis() <= now)
                .collect();
            if live.len() > 1 {
                return Ok(RoomLoad::Choose(Box::new(room), live));
            }
            get_or_create_meeting(room_name.to_owned(), false).await?.id
        }
    };
    let meeting = join_meeting(room_name.to_owned(), meeting_id).await?;
    Ok(RoomLoad::Ready(Box::new(room), Box::new(meeting)))
}

/// What went wrong, for a participant rather than a developer.
pub fn explain(error: &ApiError) -> String {
    match error.detail.as_str() {
        "Room not found" => "This room doesn't exist. Check the address.".into(),
        "Meeting not found" => {
            "This meeting no longer exists. Check the link or ask the organizer for a new one.".into()
        }
        "Meeting has ended" => "This meeting has ended. The organizer can start a new one.".into(),
        "Meeting is not active" => {
            "This meeting is no longer active. Ask the organizer to start it again.".into()
        }
        "" => "We couldn't open the meeting. Please try again.".into(),
        detail => detail.to_owned(),
    }
}
