//! Who may do what. Every service asks here; nothing else decides access.
//!
//! | action                                   | anonymous | signed in | room owner |
//! |------------------------------------------|-----------|-----------|------------|
//! | list rooms (own + shared)                | PUBLIC_MODE: shared only, else 401 | yes | yes |
//! | read a room by id                        | shared only (403) | shared only (403) | yes |
//! | read a room by name, join its meetings   | yes       | yes       | yes        |
//! | create a room, manage own API keys       | 401       | yes       | yes        |
//! | update/delete a room, test its webhook, deactivate its meetings, open an extra meeting (`allow_duplicated`) | 401 | 403 | yes |
//! | see the webhook, calendar, Zulip and e-mail settings | no | no  | yes        |

use crate::server::auth::Caller;
use crate::server::store::User;
use crate::server::{AppError, AppState};
use crate::types::Room;

pub fn require_user(caller: &Caller) -> Result<&User, AppError> {
    caller
        .user()
        .ok_or_else(|| AppError::Unauthorized("Not authenticated".into()))
}

pub fn is_owner(caller: &Caller, room: &Room) -> bool {
    caller.user_id() == Some(room.user_id.as_str())
}

/// The caller, if they own `room`: 401 when anonymous, 403 otherwise.
pub fn require_owner<'a>(caller: &'a Caller, room: &Room, refusal: &str) -> Result<&'a User, AppError> {
    let user = require_user(caller)?;
    if user.id == room.user_id {
        Ok(user)
    } else {
        Err(AppError::Forbidden(refusal.to_owned()))
    }
}

/// Rooms are private to their owner unless shared.
pub fn can_see_room(caller: &Caller, room: &Room) -> bool {
    room.is_shared || is_owner(caller, room)
}

/// Listing rooms needs a user unless the server runs in public mode.
pub fn require_listing_allowed(state: &AppState, caller: &Caller) -> Result<(), AppError> {
    if caller.user().is_none() && !state.settings.public_mode {
        return Err(AppError::Unauthorized("Not authenticated".into()));
    }
    Ok(())
}
