//! Transcripts for the UI: the same services as `/v1/transcripts…`.

use leptos::prelude::*;
use leptos::server_fn::codec::Json;

use crate::types::{ApiError, SearchResponse, TranscriptDetail, TranscriptLink, TranscriptPage};

#[server(endpoint = "read_transcript", input = Json)]
pub async fn read_transcript(id: String) -> Result<TranscriptDetail, ApiError> {
    let (state, caller) = super::context::state_and_caller().await?;
    Ok(crate::server::services::transcripts::views::detail(&state, &caller, &id).await?)
}

#[server(endpoint = "list_transcripts", input = Json)]
pub async fn list_transcripts(
    room_id: Option<String>,
    page: i64,
    size: i64,
) -> Result<TranscriptPage, ApiError> {
    let (state, caller) = super::context::state_and_caller().await?;
    Ok(
        crate::server::services::transcripts::views::list(&state, &caller, room_id.as_deref(), page, size)
            .await?,
    )
}

/// The latest transcripts the caller may read, for the start page.
#[server(endpoint = "latest_transcripts", input = Json)]
pub async fn latest_transcripts() -> Result<Vec<TranscriptLink>, ApiError> {
    let (state, caller) = super::context::state_and_caller().await?;
    let page = crate::server::services::transcripts::views::list(&state, &caller, None, 1, 5).await?;
    Ok(page
        .items
        .into_iter()
        .map(|transcript| TranscriptLink {
            id: transcript.id,
            room_name: transcript.room_name,
            created_at: transcript.created_at.timestamp_millis(),
            status: transcript.status,
        })
        .collect())
}

#[server(endpoint = "search_transcripts", input = Json)]
pub async fn search_transcripts(
    query: String,
    room_id: Option<String>,
    limit: i64,
    offset: i64,
) -> Result<SearchResponse, ApiError> {
    let (state, caller) = super::context::state_and_caller().await?;
    Ok(crate::server::services::transcripts::views::search(
        &state,
        &caller,
        &query,
        room_id.as_deref(),
        limit,
        offset,
    )
    .await?)
}
