//! Finding the call a visitor should be in: one server call decides it
//! (`services::room_visit`).

use crate::api::open_room;
use crate::types::{ApiError, RoomVisit};

#[derive(Clone)]
pub enum RoomLoad {
    Loading,
    Loaded(RoomVisit),
    Failed(String),
}

pub async fn load_room(room_name: String, meeting_id: Option<String>) -> RoomLoad {
    match open_room(room_name, meeting_id).await {
        Ok(visit) => RoomLoad::Loaded(visit),
        Err(error) => RoomLoad::Failed(explain(&error)),
    }
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
