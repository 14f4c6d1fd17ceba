use app::server::auth::Caller;
use app::server::error::ErrorBody;
use app::server::services::transcripts::views;
use app::server::{AppError, AppState};
use app::types::{SearchResponse, TranscriptDetail, TranscriptFormat, TranscriptPage};
use axum::extract::State;
use axum::http::header;
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::Deserialize;
use utoipa::IntoParams;

use super::extract::{ApiPath, ApiQuery};
use super::StatusOk;

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct TranscriptListing {
    /// From 1 (default 1).
    #[param(minimum = 1)]
    page: Option<i64>,
    /// 1 to 100 (default 20).
    #[param(minimum = 1, maximum = 100)]
    size: Option<i64>,
    /// Only this room's transcripts.
    room_id: Option<String>,
}

/// Transcripts the caller may read (their rooms', shared rooms'), newest first.
#[utoipa::path(get, path = "/transcripts", operation_id = "list_transcripts", tag = "transcripts",
    params(TranscriptListing),
    security(("bearer" = []), ("api_key" = []), ()),
    responses(
        (status = 200, description = "A page of transcripts", body = TranscriptPage),
        (status = 401, description = "Not signed in (unless the server runs in public mode)", body = ErrorBody),
    ))]
pub async fn list(
    State(state): State<AppState>,
    caller: Caller,
    ApiQuery(listing): ApiQuery<TranscriptListing>,
) -> Result<Json<TranscriptPage>, AppError> {
    let (page, size) = (listing.page.unwrap_or(1), listing.size.unwrap_or(20));
    Ok(Json(
        views::list(&state, &caller, listing.room_id.as_deref(), page, size).await?,
    ))
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct SearchQuery {
    /// Words (all must appear), `"a phrase"`, `prefix*`.
    q: String,
    /// 1 to 100 (default 20).
    #[param(minimum = 1, maximum = 100)]
    limit: Option<i64>,
    #[param(minimum = 0)]
    offset: Option<i64>,
    /// Only this room's transcripts.
    room_id: Option<String>,
}

/// Full-text search over the transcripts the caller may read, best first,
/// with passages around the matches (matches in `<mark>`).
#[utoipa::path(get, path = "/transcripts/search", operation_id = "search_transcripts", tag = "transcripts",
    params(SearchQuery),
    security(("bearer" = []), ("api_key" = []), ()),
    responses(
        (status = 200, description = "Matching transcripts", body = SearchResponse),
        (status = 401, description = "Not signed in (unless the server runs in public mode)", body = ErrorBody),
        (status = 422, description = "Nothing to search for, or limits out of range", body = ErrorBody),
    ))]
pub async fn search(
    State(state): State<AppState>,
    caller: Caller,
    ApiQuery(query): ApiQuery<SearchQuery>,
) -> Result<Json<SearchResponse>, AppError> {
    let (limit, offset) = (query.limit.unwrap_or(20), query.offset.unwrap_or(0));
    Ok(Json(
        views::search(&state, &caller, &query.q, query.room_id.as_deref(), limit, offset).await?,
    ))
}

/// A transcript with its speakers and what they said (segments with words).
#[utoipa::path(get, path = "/transcripts/{transcript_id}", operation_id = "get_transcript", tag = "transcripts",
    params(("transcript_id" = String, Path)),
    security(("bearer" = []), ("api_key" = []), ()),
    responses(
        (status = 200, description = "The transcript", body = TranscriptDetail),
        (status = 401, description = "Not signed in (unless the server runs in public mode)", body = ErrorBody),
        (status = 404, description = "No such transcript the caller may read", body = ErrorBody),
    ))]
pub async fn get(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(id): ApiPath<String>,
) -> Result<Json<TranscriptDetail>, AppError> {
    Ok(Json(views::detail(&state, &caller, &id).await?))
}

/// Deletes the transcript (the room's owner); the recording stays.
#[utoipa::path(delete, path = "/transcripts/{transcript_id}", operation_id = "delete_transcript", tag = "transcripts",
    params(("transcript_id" = String, Path)),
    security(("bearer" = []), ("api_key" = [])),
    responses(
        (status = 200, description = "Deleted", body = StatusOk),
        (status = 401, description = "Not signed in", body = ErrorBody),
        (status = 403, description = "Not the room's owner", body = ErrorBody),
        (status = 404, description = "No such transcript the caller may read", body = ErrorBody),
    ))]
pub async fn delete(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(id): ApiPath<String>,
) -> Result<Json<StatusOk>, AppError> {
    views::delete(&state, &caller, &id).await?;
    Ok(Json(StatusOk::ok()))
}

/// The transcript as a file: WebVTT (speakers as voices), SRT, plain text or JSON.
#[utoipa::path(get, path = "/transcripts/{transcript_id}/{format}", operation_id = "export_transcript", tag = "transcripts",
    params(("transcript_id" = String, Path), ("format" = inline(TranscriptFormat), Path, description = "webvtt, srt, text or json")),
    security(("bearer" = []), ("api_key" = []), ()),
    responses(
        (status = 200, description = "The file", content(
            (String = "text/vtt"), (String = "application/x-subrip"), (String = "text/plain"), (TranscriptDetail = "application/json"),
        )),
        (status = 400, description = "Not a format", body = ErrorBody),
        (status = 401, description = "Not signed in (unless the server runs in public mode)", body = ErrorBody),
        (status = 404, description = "No such transcript the caller may read", body = ErrorBody),
    ))]
pub async fn export(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath((id, format)): ApiPath<(String, TranscriptFormat)>,
) -> Result<Response, AppError> {
    let (content_type, file_name, body) = views::export(&state, &caller, &id, format).await?;
    Ok((
        [
            (header::CONTENT_TYPE, content_type.to_owned()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{file_name}\""),
            ),
        ],
        body,
    )
        .into_response())
}
