//! Finding the call a visitor should be in: one server call decides it
//! (`services::room_visit`).

use crate::api::open_room;
use crate::types::{error_codes, ApiError, RoomVisit};

#[derive(Clone)]
pub enum RoomLoad {
    Loading,
    Loaded(RoomVisit),
    Failed(String),
}

pub async fn load_room(room_name: String, meeting_id: Option<String>, start_now: bool) -> RoomLoad {
    match open_room(room_name, meeting_id, start_now).await {
        Ok(visit) => RoomLoad::Loaded(visit),
        Err(error) => RoomLoad::Failed(explain(&error)),
    }
}

/// What went wrong, for a participant rather than a developer.
pub fn explain(error: &ApiError) -> String {
    match error.code.as_deref() {
        Some(error_codes::ROOM_NOT_FOUND) => "This room doesn't exist. Check the address.".into(),
        Some(error_codes::MEETING_NOT_FOUND) => {
            "This meeting no longer exists. Check the link or ask the organizer for a new one.".into()
        }
        Some(error_codes::MEETING_ENDED) => {
            "This meeting has ended. The organizer can start a new one.".into()
        }
        Some(error_codes::MEETING_NOT_ACTIVE) => {
            "This meeting is no longer active. Ask the organizer to start it again.".into()
        }
        _ if error.detail.is_empty() => "We couldn't open the meeting. Please try again.".into(),
        _ => error.detail.clone(),
    }
}
