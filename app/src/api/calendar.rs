//! A room's calendar for the room form: the same services as
//! `/v1/rooms/{room}/ics/…`.

use leptos::prelude::*;
use leptos::server_fn::codec::Json;

use crate::types::{ApiError, CalendarSummary};

#[server(endpoint = "room_calendar", input = Json)]
pub async fn room_calendar(room_name: String) -> Result<CalendarSummary, ApiError> {
    let (state, caller) = super::context::state_and_caller().await?;
    Ok(crate::server::services::calendar::views::summary(&state, &caller, &room_name).await?)
}

/// Syncs now; answers the summary after the sync (its result included, a
/// failed fetch too).
#[server(endpoint = "sync_calendar_now", input = Json)]
pub async fn sync_calendar_now(room_name: String) -> Result<CalendarSummary, ApiError> {
    use crate::server::services::calendar::views;
    let (state, caller) = super::context::state_and_caller().await?;
    views::sync_now(&state, &caller, &room_name).await?;
    Ok(views::summary(&state, &caller, &room_name).await?)
}
