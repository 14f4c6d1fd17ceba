//! Transcripts: what a recording became, as speakers' segments with their
//! words, and the formats people download (WebVTT, SRT, plain text).

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

crate::text_enum! {
    /// Where a transcript stands.
    pub enum TranscriptStatus as "transcript status" {
        Queued = "queued",
        Transcribing = "transcribing",
        Completed = "completed",
        Failed = "failed",
    }
}

/// One word, in seconds from the recording's start.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Word {
    pub text: String,
    pub start: f64,
    pub end: f64,
}

/// What one speaker said without a pause, in seconds from the recording's start.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Segment {
    /// The speaker's name when known (their own track), else null.
    pub speaker: Option<String>,
    pub start: f64,
    pub end: f64,
    pub text: String,
    pub words: Vec<Word>,
}

/// A transcript without its segments (lists).
/// A transcript as the start page lists it: small, so that page stays light.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TranscriptLink {
    pub id: String,
    pub room_name: Option<String>,
    /// Unix milliseconds.
    pub created_at: i64,
    pub status: TranscriptStatus,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))]
pub struct Transcript {
    pub id: String,
    pub recording_id: String,
    pub meeting_id: Option<String>,
    pub room_id: Option<String>,
    pub room_name: Option<String>,
    pub status: TranscriptStatus,
    /// Why it failed, in words.
    pub error: Option<String>,
    /// Language code the backend recognised (or was asked for).
    pub source_language: Option<String>,
    /// Seconds of audio.
    pub duration: Option<f64>,
    /// The recording's audio was deleted after transcription (someone in the
    /// meeting asked for it).
    pub audio_deleted: bool,
    pub created_at: DateTime<Utc>,
    pub completed_at: Option<DateTime<Utc>>,
}

/// `GET /v1/transcripts/{id}`: the transcript and what was said.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct TranscriptDetail {
    #[serde(flatten)]
    pub transcript: Transcript,
    /// Speakers in order of first appearance.
    pub participants: Vec<TranscriptParticipant>,
    pub segments: Vec<Segment>,
    /// Where the recording's audio plays from (with byte ranges), while it
    /// is kept.
    pub audio_url: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct TranscriptParticipant {
    /// 0, 1, … in order of first appearance.
    pub speaker: i64,
    pub name: Option<String>,
}

/// `GET /v1/transcripts`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct TranscriptPage {
    pub items: Vec<Transcript>,
    pub total: i64,
    pub page: i64,
    pub size: i64,
    pub pages: i64,
}

/// One transcript found by `GET /v1/transcripts/search` (Reflector's shape).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct SearchResult {
    pub id: String,
    pub title: String,
    pub room_id: Option<String>,
    pub room_name: Option<String>,
    pub source_kind: String,
    pub created_at: DateTime<Utc>,
    pub status: TranscriptStatus,
    /// Higher is better.
    pub rank: f64,
    pub duration: Option<f64>,
    /// Passages around the matches; each match is wrapped in `<mark>` … `</mark>`
    /// (the text itself is HTML-escaped, so the marks are the only tags).
    pub search_snippets: Vec<String>,
    pub total_match_count: i64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct SearchResponse {
    pub results: Vec<SearchResult>,
    pub total: i64,
    pub query: String,
    pub limit: i64,
    pub offset: i64,
}

crate::text_enum! {
    /// The formats a transcript downloads as.
    pub enum TranscriptFormat as "transcript format" {
        WebVtt = "webvtt",
        Srt = "srt",
        Text = "text",
        Json = "json",
    }
}

impl TranscriptFormat {
    pub fn content_type(self) -> &'static str {
        match self {
            TranscriptFormat::WebVtt => "text/vtt; charset=utf-8",
            TranscriptFormat::Srt => "application/x-subrip; charset=utf-8",
            TranscriptFormat::Text => "text/plain; charset=utf-8",
            TranscriptFormat::Json => "application/json",
        }
    }

    pub fn extension(self) -> &'static str {
        match self {
            TranscriptFormat::WebVtt => "vtt",
            TranscriptFormat::Srt => "srt",
            TranscriptFormat::Text => "txt",
            TranscriptFormat::Json => "json",
        }
    }
}

/// `hh:mm:ss.mmm` (WebVTT) or `hh:mm:ss,mmm` (SRT).
fn clock(seconds: f64, separator: char) -> String {
    let millis = (seconds.max(0.0) * 1000.0).round() as u64;
    format!(
        "{:02}:{:02}:{:02}{separator}{:03}",
        millis / 3_600_000,
        millis / 60_000 % 60,
        millis / 1000 % 60,
        millis % 1000
    )
}

/// Where a line starts, as people read it: `mm:ss`, or `hh:mm:ss` past an hour.
pub fn line_time(seconds: f64) -> String {
    let at = clock(seconds, '.');
    let at = at.strip_prefix("00:").unwrap_or(&at);
    at[..at.len() - 4].to_owned()
}

/// Cue text may not contain a blank line or `-->`.
fn cue_text(text: &str) -> String {
    text.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .replace("-->", "->")
}

fn escape_vtt(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

/// WebVTT with a voice tag per speaker (`<v Ann>`).
pub fn to_webvtt(segments: &[Segment]) -> String {
    let mut out = String::from("WEBVTT\n");
    for segment in segments {
        let text = escape_vtt(&cue_text(&segment.text));
        let voiced = match &segment.speaker {
            Some(name) => format!("<v {}>{text}", escape_vtt(&cue_text(name))),
            None => text,
        };
        out.push_str(&format!(
            "\n{} --> {}\n{voiced}\n",
            clock(segment.start, '.'),
            clock(segment.end, '.')
        ));
    }
    out
}

/// SubRip, the speaker's name before their words.
pub fn to_srt(segments: &[Segment]) -> String {
    let mut out = String::new();
    for (index, segment) in segments.iter().enumerate() {
        let text = cue_text(&segment.text);
        let line = match &segment.speaker {
            Some(name) => format!("{}: {text}", cue_text(name)),
            None => text,
        };
        out.push_str(&format!(
            "{}\n{} --> {}\n{line}\n\n",
            index + 1,
            clock(segment.start, ','),
            clock(segment.end, ',')
        ));
    }
    out
}

/// One line per segment: `[mm:ss] Name: words`.
pub fn to_text(segments: &[Segment]) -> String {
    segments
        .iter()
        .map(|segment| {
            let at = line_time(segment.start);
            match &segment.speaker {
                Some(name) => format!("[{at}] {name}: {}\n", cue_text(&segment.text)),
                None => format!("[{at}] {}\n", cue_text(&segment.text)),
            }
        })
        .collect()
}

/// The speakers in order of first appearance.
pub fn participants_of(segments: &[Segment]) -> Vec<TranscriptParticipant> {
    let mut seen: Vec<Option<String>> = Vec::new();
    for segment in segments {
        if !seen.contains(&segment.speaker) {
            seen.push(segment.speaker.clone());
        }
    }
    seen.into_iter()
        .enumerate()
        .map(|(index, name)| TranscriptParticipant {
            speaker: index as i64,
            name,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn segments() -> Vec<Segment> {
        vec![
            Segment {
                speaker: Some("Ann".into()),
                start: 0.5,
                end: 2.25,
                text: " The budget <is> approved.".into(),
                words: vec![],
            },
            Segment {
                speaker: None,
                start: 3661.0,
                end: 3662.5,
                text: "We ship\n\non Friday --> maybe".into(),
                words: vec![],
            },
        ]
    }

    #[test]
    fn webvtt_has_voices_escaped_text_and_no_blank_lines_in_cues() {
        assert_eq!(
            to_webvtt(&segments()),
            "WEBVTT\n\n00:00:00.500 --> 00:00:02.250\n<v Ann>The budget &lt;is&gt; approved.\n\n01:01:01.000 --> 01:01:02.500\nWe ship on Friday -&gt; maybe\n"
        );
    }

    #[test]
    fn srt_numbers_cues_and_names_speakers() {
        assert_eq!(
            to_srt(&segments()),
            "1\n00:00:00,500 --> 00:00:02,250\nAnn: The budget <is> approved.\n\n2\n01:01:01,000 --> 01:01:02,500\nWe ship on Friday -> maybe\n\n"
        );
    }

    #[test]
    fn text_lines_start_with_the_time() {
        assert_eq!(
            to_text(&segments()),
            "[00:00] Ann: The budget <is> approved.\n[01:01:01] We ship on Friday -> maybe\n"
        );
        assert_eq!(
            participants_of(&segments()),
            vec![
                TranscriptParticipant {
                    speaker: 0,
                    name: Some("Ann".into())
                },
                TranscriptParticipant {
                    speaker: 1,
                    name: None
                }
            ]
        );
    }
}
