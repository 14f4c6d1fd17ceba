//! Recordings for the UI: the same service as `/v1/meetings/{id}/recordings`.

use leptos::prelude::*;

use crate::types::{ApiError, RecordingView};

#[server(endpoint = "room_recordings")]
pub async fn room_recordings(room_name: String) -> Result<Vec<RecordingView>, ApiError> {
    let (state, caller) = super::context::state_and_caller().await?;
    Ok(crate::server::services::recordings::of_room(&state, &caller, &room_name).await?)
}
