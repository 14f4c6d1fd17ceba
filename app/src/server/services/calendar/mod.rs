//! Calendar sync: a room's ICS feed brings its events (`sync`), whose
//! meetings are made ahead of time and moved or cancelled with them
//! (`meetings`); the room's owner and its participants see them (`views`).

pub mod meetings;
pub mod sync;
pub mod views;

use crate::types::Room;

/// The address people open for the room; an event names it (in its location
/// or description) to belong to the room.
pub fn room_url(base_url: &str, room: &Room) -> String {
    format!("{}/{}", base_url.trim_end_matches('/'), room.name)
}
