//! From a stored recording to its transcript, as a job: the recording's
//! audio is fetched from storage, decoded and cut into pieces by ffmpeg,
//! each piece sent to the transcription service, the words put back on the
//! recording's timeline, and the result stored with the room's
//! `transcript.completed` event in one transaction. A job that stops
//! midway (a killed worker, a service that is down) starts again from the
//! recording; a completed transcript is never made twice.

use chrono::Utc;

use crate::server::jobs::JobFailure;
use crate::server::recordings::stored_keys;
use crate::server::store::{Recording, StoreError, StoredTrack, Transcribed};
use crate::server::transcription::{audio, Heard, Transcriber, TranscriptionError};
use crate::server::AppState;
use crate::types::{
    participants_of, to_webvtt, EventTranscript, RecordingStatus, Segment, Transcript,
    TranscriptCompletedEvent, TranscriptStatus, Word,
};

/// ffmpeg's time for one recording.
const DECODE_TIME_LIMIT: std::time::Duration = std::time::Duration::from_secs(1800);

/// One track to transcribe and whose words it holds.
struct Track {
    storage_key: String,
    speaker: Option<String>,
    /// Where the track starts on the recording's timeline.
    offset_seconds: f64,
}

pub async fn transcribe_recording(state: &AppState, recording_id: &str) -> Result<(), JobFailure> {
    let Some(transcriber) = state.transcriber.clone() else {
        return Err(JobFailure::Permanent(
            "no transcription service is configured (TRANSCRIPTION_BACKEND=none)".into(),
        ));
    };
    let store = &state.store;
    let Some(recording) = store.recording_by_id(recording_id).await? else {
        return Ok(());
    };
    let Some(transcript) = store.transcript_of_recording(recording_id).await? else {
        return Ok(());
    };
    if transcript.status == TranscriptStatus::Completed {
        // Stored, but the audio promised away may still be there.
        if transcript.audio_deleted && recording.storage_key.is_some() {
            delete_audio(state, &recording).await?;
        }
        return Ok(());
    }
    if recording.deleted_at.is_some() {
        return Ok(());
    }
    let (RecordingStatus::Completed, Some(storage_key)) =
        (recording.status, recording.storage_key.as_deref())
    else {
        return Err(JobFailure::Permanent("the recording is not stored".into()));
    };
    store
        .set_transcript_status(&transcript.id, TranscriptStatus::Transcribing, None)
        .await?;
    let tracks = tracks_of(state, &recording, storage_key).await?;
    let mut segments = Vec::new();
    let mut heard_language = None;
    let mut duration: f64 = 0.0;
    for track in &tracks {
        let (track_segments, language, seconds) =
            transcribe_track(state, transcriber.as_ref(), track).await?;
        segments.extend(track_segments);
        heard_language = heard_language.or(language);
        duration = duration.max(seconds);
    }
    segments.sort_by(|a, b| a.start.total_cmp(&b.start));

    // Someone asked for the audio not to be kept: it goes once the
    // transcript is stored (a retry after a kill in between finishes it).
    let audio_deleted = match &recording.meeting_id {
        Some(meeting_id) => store.meeting_has_consent_denial(meeting_id).await?,
        None => false,
    };
    let event = completed_event(state, &transcript, &segments, heard_language.as_deref(), duration).await?;
    store
        .complete_transcript(
            &transcript.id,
            &Transcribed {
                segments: &segments,
                language: heard_language.as_deref(),
                duration: Some(duration),
                audio_deleted,
                event: &event,
            },
            Utc::now(),
        )
        .await?;
    if audio_deleted {
        delete_audio(state, &recording).await?;
    }
    tracing::info!(recording = %recording_id, transcript = %transcript.id, segments = segments.len(), "transcript completed");
    Ok(())
}

/// Each participant's track with their name, or the one file with nobody's.
async fn tracks_of(
    state: &AppState,
    recording: &Recording,
    storage_key: &str,
) -> Result<Vec<Track>, JobFailure> {
    let stored = recording.stored_tracks.clone().unwrap_or_default();
    if stored.is_empty() {
        return Ok(vec![Track {
            storage_key: storage_key.to_owned(),
            speaker: None,
            offset_seconds: 0.0,
        }]);
    }
    let names = match &recording.meeting_id {
        Some(meeting_id) => state.store.session_names(meeting_id).await?,
        None => Default::default(),
    };
    let speakers = speaker_names(&stored, &names);
    Ok(stored
        .into_iter()
        .zip(speakers)
        .map(|(track, speaker)| Track {
            speaker: Some(speaker),
            storage_key: track.storage_key,
            offset_seconds: track.offset_seconds,
        })
        .collect())
}

/// Each track's speaker: the participant's name, else "Participant N"
/// numbered per person (one participant who left and came back has two
/// tracks but is one unnamed speaker).
fn speaker_names(tracks: &[StoredTrack], names: &std::collections::HashMap<String, String>) -> Vec<String> {
    let mut unnamed: Vec<Option<&str>> = Vec::new();
    tracks
        .iter()
        .map(|track| {
            let session = track.participant_session.as_deref();
            if let Some(name) = session.and_then(|session| names.get(session)) {
                return name.clone();
            }
            let known = session.and_then(|s| unnamed.iter().position(|seen| *seen == Some(s)));
            let number = known.unwrap_or_else(|| {
                unnamed.push(session);
                unnamed.len() - 1
            });
            format!("Participant {}", number + 1)
        })
        .collect()
}

async fn delete_audio(state: &AppState, recording: &Recording) -> Result<(), JobFailure> {
    for key in stored_keys(recording) {
        state
            .recording_storage
            .delete(key)
            .await
            .map_err(JobFailure::Retry)?;
    }
    state.store.forget_recording_copy(&recording.id).await?;
    Ok(())
}

/// The track's segments on the recording's timeline, its language and length.
async fn transcribe_track(
    state: &AppState,
    transcriber: &dyn Transcriber,
    track: &Track,
) -> Result<(Vec<Segment>, Option<String>, f64), JobFailure> {
    let work = audio::WorkDir::new().map_err(|e| JobFailure::Retry(e.to_string()))?;
    let input = audio::fetch(&state.recording_storage, &track.storage_key, &work, "recording")
        .await
        .map_err(JobFailure::Retry)?;
    let limit = state.settings.transcription.max_upload_bytes;
    let pieces = audio::prepare(&input, &work, limit, DECODE_TIME_LIMIT)
        .await
        .map_err(JobFailure::Permanent)?;
    let mut segments = Vec::new();
    let mut language = None;
    let mut end: f64 = 0.0;
    for (index, piece) in pieces.iter().enumerate() {
        let wav = tokio::fs::read(&piece.path)
            .await
            .map_err(|e| JobFailure::Retry(e.to_string()))?;
        let heard = transcriber
            .transcribe(wav, &format!("piece-{index}.wav"))
            .await
            .map_err(|error| match error {
                TranscriptionError::Unavailable(_) => JobFailure::Retry(error.to_string()),
                TranscriptionError::Refused(_) => JobFailure::Permanent(error.to_string()),
            })?;
        language = language.or(heard.language.clone());
        let offset = track.offset_seconds + piece.offset_seconds;
        end = end.max(offset + heard.duration.unwrap_or(0.0));
        segments.extend(on_timeline(heard, offset, &track.speaker));
    }
    Ok((segments, language, end))
}

/// A piece's segments moved to where the piece starts in the recording.
pub fn on_timeline(heard: Heard, offset: f64, speaker: &Option<String>) -> Vec<Segment> {
    heard
        .segments
        .into_iter()
        .map(|segment| Segment {
            speaker: speaker.clone(),
            start: segment.start + offset,
            end: segment.end + offset,
            text: segment.text,
            words: segment
                .words
                .into_iter()
                .map(|word| Word {
                    text: word.text,
                    start: word.start + offset,
                    end: word.end + offset,
                })
                .collect(),
        })
        .collect()
}

async fn completed_event(
    state: &AppState,
    transcript: &Transcript,
    segments: &[Segment],
    language: Option<&str>,
    duration: f64,
) -> Result<TranscriptCompletedEvent, StoreError> {
    let meeting = match &transcript.meeting_id {
        Some(id) => state.store.meeting_by_id(id).await?,
        None => None,
    };
    let calendar_event = match meeting.as_ref().and_then(|m| m.calendar_event_id.as_deref()) {
        Some(id) => state
            .store
            .calendar_event_by_id(id)
            .await?
            .map(|event| event.view()),
        None => None,
    };
    let title = match (&transcript.room_name, &meeting) {
        (Some(room), Some(meeting)) => format!("{room} {}", meeting.start_date.format("%Y-%m-%d %H:%M UTC")),
        (Some(room), None) => room.clone(),
        _ => "Recording".into(),
    };
    Ok(TranscriptCompletedEvent {
        transcript: EventTranscript {
            id: transcript.id.clone(),
            room_id: transcript.room_id.clone(),
            meeting_id: transcript.meeting_id.clone(),
            recording_id: transcript.recording_id.clone(),
            created_at: transcript.created_at,
            duration: Some(duration),
            title,
            short_summary: None,
            long_summary: None,
            webvtt: to_webvtt(segments),
            topics: Vec::new(),
            participants: participants_of(segments),
            source_language: language.map(str::to_owned),
            target_language: language.map(str::to_owned),
            status: "ended".into(),
            frontend_url: format!("{}/transcripts/{}", state.settings.base_url, transcript.id),
            action_items: None,
        },
        calendar_event,
    })
}

/// Told after each failed attempt: the transcript shows why, and fails for
/// good when the job does.
pub async fn attempt_failed(
    state: &AppState,
    recording_id: &str,
    error: &str,
    will_retry: bool,
) -> Result<(), StoreError> {
    let Some(transcript) = state.store.transcript_of_recording(recording_id).await? else {
        return Ok(());
    };
    let (status, error) = if will_retry {
        (TranscriptStatus::Queued, format!("{error} (will try again)"))
    } else {
        (TranscriptStatus::Failed, error.to_owned())
    };
    state
        .store
        .set_transcript_status(&transcript.id, status, Some(&error))
        .await
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::server::transcription::HeardSegment;

    #[test]
    fn unnamed_speakers_are_numbered_per_person_not_per_track() {
        let track = |session: Option<&str>| StoredTrack {
            storage_key: String::new(),
            participant_session: session.map(str::to_owned),
            offset_seconds: 0.0,
        };
        let names = [("s-alice".to_owned(), "Alice".to_owned())].into();
        let tracks = [
            track(Some("s-x")),
            track(Some("s-alice")),
            track(Some("s-y")),
            track(Some("s-x")),
            track(None),
        ];
        assert_eq!(
            speaker_names(&tracks, &names),
            [
                "Participant 1",
                "Alice",
                "Participant 2",
                "Participant 1",
                "Participant 3"
            ]
        );
    }

    #[test]
    fn a_pieces_words_are_moved_to_where_it_starts() {
        let heard = Heard {
            language: Some("en".into()),
            duration: Some(2.0),
            segments: vec![HeardSegment {
                start: 0.5,
                end: 1.5,
                text: "hello".into(),
                words: vec![Word {
                    text: "hello".into(),
                    start: 0.5,
                    end: 1.5,
                }],
            }],
        };
        let moved = on_timeline(heard, 781.0, &Some("Ann".into()));
        assert_eq!(moved[0].start, 781.5);
        assert_eq!(moved[0].words[0].end, 782.5);
        assert_eq!(moved[0].speaker.as_deref(), Some("Ann"));
    }
}
