//! What readers do with transcripts: read one (with what was said), list,
//! download, delete (the room's owner), search. A transcript is seen by
//! whoever may see its room: its owner, and everyone for a shared room
//! (anonymous visitors only in public mode).

use crate::server::auth::Caller;
use crate::server::services::paging;
use crate::server::services::permissions::{can_see_room, is_owner, require_listing_allowed, require_owner};
use crate::server::store::{Reader, SearchTerms};
use crate::server::{AppError, AppState};
use crate::types::{
    participants_of, to_srt, to_text, to_webvtt, Room, SearchResponse, SearchResult, Transcript,
    TranscriptDetail, TranscriptFormat, TranscriptPage,
};

use super::snippets::snippets;

const SNIPPETS_PER_RESULT: usize = 3;

/// The transcript and its room, if the caller may see them (404 otherwise,
/// so strangers learn nothing of other people's transcripts).
async fn readable(state: &AppState, caller: &Caller, id: &str) -> Result<(Transcript, Room), AppError> {
    require_listing_allowed(state, caller)?;
    let not_found = || AppError::NotFound("Transcript not found".into());
    let transcript = state.store.transcript_by_id(id).await?.ok_or_else(not_found)?;
    let room_id = transcript.room_id.clone().ok_or_else(not_found)?;
    let room = state.store.room_by_id(&room_id).await?.ok_or_else(not_found)?;
    if !can_see_room(caller, &room) {
        return Err(not_found());
    }
    Ok((transcript, room))
}

pub async fn detail(state: &AppState, caller: &Caller, id: &str) -> Result<TranscriptDetail, AppError> {
    let (transcript, room) = readable(state, caller, id).await?;
    let segments = state.store.transcript_segments(id).await?;
    // The recording is the room owner's, as its download is.
    let audio_url = match is_owner(caller, &room) {
        true => audio_key(state, &transcript)
            .await?
            .map(|_| format!("/v1/transcripts/{}/audio", transcript.id)),
        false => None,
    };
    Ok(TranscriptDetail {
        participants: participants_of(&segments),
        transcript,
        segments,
        audio_url,
    })
}

/// Where the transcript's audio is in recording storage, while it is kept.
async fn audio_key(state: &AppState, transcript: &Transcript) -> Result<Option<String>, AppError> {
    // Someone asked for the audio not to be kept: nobody hears it, even
    // before the transcript is done and the audio deleted.
    if let Some(meeting_id) = &transcript.meeting_id {
        if state.store.meeting_has_consent_denial(meeting_id).await? {
            return Ok(None);
        }
    }
    let recording = state.store.recording_by_id(&transcript.recording_id).await?;
    Ok(recording
        .filter(|r| r.deleted_at.is_none() && !transcript.audio_deleted)
        .and_then(|r| r.storage_key))
}

/// The storage key of the audio a reader of the transcript may play.
pub async fn audio(state: &AppState, caller: &Caller, id: &str) -> Result<String, AppError> {
    let (transcript, room) = readable(state, caller, id).await?;
    require_owner(caller, &room, "Only the room owner can hear its recordings")?;
    audio_key(state, &transcript).await?.ok_or_else(|| {
        AppError::NotFound(if transcript.audio_deleted {
            "The audio was deleted after transcription, as a participant asked".into()
        } else {
            "This transcript has no audio".into()
        })
    })
}

pub async fn list(
    state: &AppState,
    caller: &Caller,
    room_id: Option<&str>,
    page: i64,
    size: i64,
) -> Result<TranscriptPage, AppError> {
    require_listing_allowed(state, caller)?;
    let offset = paging::offset(page, size)?;
    let reader = Reader {
        user_id: caller.user_id(),
    };
    let (items, total) = state
        .store
        .visible_transcripts(reader, room_id, size, offset)
        .await?;
    Ok(TranscriptPage {
        items,
        total,
        page,
        size,
        pages: paging::page_count(total, size),
    })
}

/// The transcript as a file: its content type, a file name, the text.
pub async fn export(
    state: &AppState,
    caller: &Caller,
    id: &str,
    format: TranscriptFormat,
) -> Result<(&'static str, String, String), AppError> {
    let detail = detail(state, caller, id).await?;
    let body = match format {
        TranscriptFormat::WebVtt => to_webvtt(&detail.segments),
        TranscriptFormat::Srt => to_srt(&detail.segments),
        TranscriptFormat::Text => to_text(&detail.segments),
        TranscriptFormat::Json => {
            serde_json::to_string_pretty(&detail).map_err(|e| AppError::internal(e.to_string()))?
        }
    };
    let name = format!("transcript-{}.{}", detail.transcript.id, format.extension());
    Ok((format.content_type(), name, body))
}

pub async fn delete(state: &AppState, caller: &Caller, id: &str) -> Result<(), AppError> {
    let (_, room) = readable(state, caller, id).await?;
    require_owner(caller, &room, "Only the room owner can delete its transcripts")?;
    state.store.delete_transcript(id).await?;
    Ok(())
}

pub async fn search(
    state: &AppState,
    caller: &Caller,
    query: &str,
    room_id: Option<&str>,
    limit: i64,
    offset: i64,
) -> Result<SearchResponse, AppError> {
    require_listing_allowed(state, caller)?;
    paging::check_limit("limit", limit)?;
    if offset < 0 {
        return Err(AppError::Unprocessable("offset: must be 0 or more".into()));
    }
    let terms = SearchTerms::parse(query);
    if terms.is_empty() {
        return Err(AppError::Unprocessable(
            "q: give at least one word to search for".into(),
        ));
    }
    let reader = Reader {
        user_id: caller.user_id(),
    };
    let (found, total) = state
        .store
        .search_transcripts(&terms, reader, room_id, limit, offset)
        .await?;
    let words = terms.words();
    let results = found
        .into_iter()
        .map(|found| {
            let (search_snippets, total_match_count) = snippets(&found.content, &words, SNIPPETS_PER_RESULT);
            let transcript = found.transcript;
            SearchResult {
                title: match &transcript.room_name {
                    Some(room) => format!("{room} {}", transcript.created_at.format("%Y-%m-%d %H:%M UTC")),
                    None => "Recording".into(),
                },
                id: transcript.id,
                room_id: transcript.room_id,
                room_name: transcript.room_name,
                source_kind: "room".into(),
                created_at: transcript.created_at,
                status: transcript.status,
                rank: found.score,
                duration: transcript.duration,
                search_snippets,
                total_match_count,
            }
        })
        .collect();
    Ok(SearchResponse {
        results,
        total,
        query: query.to_owned(),
        limit,
        offset,
    })
}
