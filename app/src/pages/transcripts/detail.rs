//! One transcript: who spoke, what they said line by line with the time,
//! the recording's audio (while it is kept) where clicking a line plays it
//! from there, the line being heard highlighted, and the downloads.

use leptos::either::{Either, EitherOf4};
use leptos::html::Audio;
use leptos::prelude::*;
use leptos_router::hooks::use_params_map;

use crate::api::read_transcript;
use crate::browser::local_time::day_and_time;
use crate::components::{browser_only, PageTitle};
use crate::types::{line_time, Segment, TranscriptDetail, TranscriptFormat, TranscriptStatus};

#[component]
pub fn TranscriptPage() -> impl IntoView {
    view! {
        <PageTitle page="Transcript"/>
        <main class="page">{browser_only("transcript", "Loading the transcript…", transcript_content)}</main>
    }
}

fn transcript_content() -> impl IntoView {
    let params = use_params_map();
    let detail = LocalResource::new(move || {
        let id = params.read().get("id").unwrap_or_default();
        read_transcript(id)
    });
    move || match detail.get() {
        None => EitherOf4::A(view! { <p role="status">"Loading the transcript…"</p> }),
        Some(Ok(detail)) => EitherOf4::B(transcript_view(detail)),
        Some(Err(error)) if error.status == 401 => EitherOf4::C(view! {
            <p class="card">"Log in to read transcripts. " <a href="/login?next=/transcripts">"Log in"</a></p>
        }),
        Some(Err(error)) => EitherOf4::D(view! {
            <div class="card" role="alert">
                <p class="error">{error.detail}</p>
                <a href="/transcripts">"All transcripts"</a>
            </div>
        }),
    }
}

fn transcript_view(detail: TranscriptDetail) -> impl IntoView {
    let transcript = &detail.transcript;
    let heading = format!(
        "{} · {}",
        transcript.room_name.as_deref().unwrap_or("Recording"),
        day_and_time(transcript.created_at.timestamp_millis())
    );
    let speakers = detail
        .participants
        .iter()
        .filter_map(|p| p.name.clone())
        .collect::<Vec<_>>()
        .join(", ");
    let progress = match (&transcript.status, &transcript.error) {
        (TranscriptStatus::Completed, _) => None,
        (TranscriptStatus::Failed, error) => Some(format!(
            "Transcription failed: {}",
            error.as_deref().unwrap_or("no reason given")
        )),
        (status, Some(error)) => Some(format!("{}: {error}", status.as_str())),
        (TranscriptStatus::Transcribing, None) => Some("Being transcribed…".into()),
        (_, None) => Some("Waiting to be transcribed.".into()),
    };
    let player = NodeRef::<Audio>::new();
    let heard_at = RwSignal::new(-1.0_f64);
    let audio = match (&detail.audio_url, transcript.audio_deleted) {
        (Some(url), _) => EitherOf4::A(view! {
            <audio
                class="transcript-audio"
                controls
                preload="metadata"
                src=url.clone()
                node_ref=player
                on:timeupdate=move |_| {
                    if let Some(player) = player.get() {
                        heard_at.set(player.current_time());
                    }
                }
            ></audio>
        }),
        (None, true) => EitherOf4::B(view! {
            <p class="hint">"The audio was deleted after transcription, as a participant asked."</p>
        }),
        (None, false) if transcript.status == TranscriptStatus::Completed => {
            EitherOf4::C(view! { <p class="hint">"The recording's audio is no longer kept."</p> })
        }
        (None, false) => EitherOf4::D(()),
    };
    let has_audio = detail.audio_url.is_some();
    let lines_class = if speakers.is_empty() {
        "transcript-lines unnamed"
    } else {
        "transcript-lines"
    };
    let id = transcript.id.clone();
    let downloads = [
        (TranscriptFormat::WebVtt, "WebVTT"),
        (TranscriptFormat::Srt, "SRT"),
        (TranscriptFormat::Text, "Text"),
        (TranscriptFormat::Json, "JSON"),
    ]
    .map(|(format, label)| {
        let href = format!("/v1/transcripts/{id}/{}", format.as_str());
        view! { <a class="button secondary" href=href download="">{label}</a> }
    });
    let lines = detail
        .segments
        .into_iter()
        .map(|segment| line_view(segment, has_audio, player, heard_at))
        .collect_view();
    view! {
        <p><a href="/transcripts">"← All transcripts"</a></p>
        <h1>{heading}</h1>
        {(!speakers.is_empty()).then(|| view! { <p class="lead">"Speakers: "{speakers}</p> })}
        {progress.map(|text| view! { <p class="card" role="status">{text}</p> })}
        {audio}
        {(transcript.status == TranscriptStatus::Completed)
            .then(|| view! { <p class="downloads" aria-label="Download">"Download: "{downloads}</p> })}
        <ol class=lines_class>{lines}</ol>
    }
}

/// A line: its time, speaker and words; with audio, a button that plays
/// the recording from there.
fn line_view(
    segment: Segment,
    has_audio: bool,
    player: NodeRef<Audio>,
    heard_at: RwSignal<f64>,
) -> impl IntoView {
    let (start, end) = (segment.start, segment.end);
    let class = move || {
        let at = heard_at.get();
        if at >= start && at < end {
            "transcript-line playing"
        } else {
            "transcript-line"
        }
    };
    let content = view! {
        <span class="line-time">{line_time(start)}</span>
        <span class="line-speaker">{segment.speaker.unwrap_or_default()}</span>
        <span class="line-text">{segment.text.trim().to_owned()}</span>
    };
    let seek = move |_| {
        if let Some(player) = player.get() {
            player.set_current_time(start);
            let _ = player.play();
        }
    };
    view! {
        <li class=class>
            {if has_audio {
                Either::Left(view! {
                    <button type="button" class="line-button" title="Play from here" on:click=seek>
                        {content}
                    </button>
                })
            } else {
                Either::Right(view! { <div class="line-button">{content}</div> })
            }}
        </li>
    }
}
