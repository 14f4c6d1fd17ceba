//! The signed-in part of the start page, built in the browser: the rooms
//! with what is live now or next, and the latest transcripts.

use leptos::either::EitherOf4;
use leptos::prelude::*;

use crate::api::{latest_transcripts, rooms_overview};
use crate::components::{RoomStatus, When};
use crate::types::{RoomOverview, TranscriptLink, TranscriptStatus};

pub fn home_overview() -> impl IntoView {
    let rooms = LocalResource::new(rooms_overview);
    move || match rooms.get() {
        None => EitherOf4::A(view! { <p role="status">"Loading your rooms…"</p> }),
        Some(Err(error)) if error.status == 401 => EitherOf4::B(view! {
            <p class="hint">
                "Log in to see your rooms, what is live in them and your latest transcripts. "
                <a href="/login">"Log in"</a>
            </p>
        }),
        Some(Err(error)) => EitherOf4::C(view! {
            <p class="error" role="alert">{format!("Your rooms could not be loaded: {error}")}</p>
        }),
        Some(Ok(rooms)) => EitherOf4::D(view! {
            <RoomsNow rooms/>
            <LatestTranscripts/>
        }),
    }
}

/// Live rooms first, then those with an event coming, then the rest.
fn by_what_is_on(mut rooms: Vec<RoomOverview>) -> Vec<RoomOverview> {
    rooms.sort_by_key(|entry| {
        (
            entry.live_meetings == 0,
            entry.next_event.as_ref().map_or(i64::MAX, |next| next.starts_at),
            entry.room.name.clone(),
        )
    });
    rooms
}

#[component]
fn RoomsNow(rooms: Vec<RoomOverview>) -> impl IntoView {
    let items = by_what_is_on(rooms)
        .into_iter()
        .map(|entry| {
            let path = format!("/{}", entry.room.name);
            let name = entry.room.name.clone();
            view! {
                <li>
                    <a href=path>{name}</a>
                    <RoomStatus entry/>
                </li>
            }
        })
        .collect_view();
    view! {
        <section class="card" aria-labelledby="your-rooms">
            <h2 id="your-rooms">"Rooms"</h2>
            <ul class="plain-list home-rooms">{items}</ul>
            <p class="hint"><a href="/rooms">"Manage rooms"</a></p>
        </section>
    }
}

#[component]
fn LatestTranscripts() -> impl IntoView {
    let latest = LocalResource::new(latest_transcripts);
    view! {
        <section class="card" aria-labelledby="latest-transcripts">
            <h2 id="latest-transcripts">"Latest transcripts"</h2>
            {move || match latest.get() {
                None => EitherOf4::A(view! { <p role="status">"Loading…"</p> }),
                Some(Ok(latest)) if latest.is_empty() => EitherOf4::B(view! {
                    <p class="hint">"No transcripts yet. Recorded meetings appear here once they are transcribed."</p>
                }),
                Some(Ok(latest)) => EitherOf4::C(view! {
                    <ul class="plain-list">{latest.into_iter().map(transcript_item).collect_view()}</ul>
                    <p class="hint"><a href="/transcripts">"All transcripts"</a></p>
                }),
                Some(Err(error)) => EitherOf4::D(view! {
                    <p class="error" role="alert">{format!("Transcripts could not be loaded: {error}")}</p>
                }),
            }}
        </section>
    }
}

fn transcript_item(transcript: TranscriptLink) -> impl IntoView {
    let created = transcript.created_at;
    let room = transcript.room_name.clone().unwrap_or_else(|| "A meeting".into());
    let status = match transcript.status {
        TranscriptStatus::Completed => None,
        TranscriptStatus::Queued | TranscriptStatus::Transcribing => Some("being transcribed"),
        TranscriptStatus::Failed => Some("failed"),
    };
    view! {
        <li>
            <a href=format!("/transcripts/{}", transcript.id)>{room}</a>
            " "
            <span class="hint"><When unix_ms=created/></span>
            {status.map(|status| view! { <span class="badge">{status}</span> })}
        </li>
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::types::{NewRoom, NextEvent, Platform};

    fn entry(name: &str, live: i64, next: Option<i64>) -> RoomOverview {
        RoomOverview {
            room: NewRoom::with_defaults(name, "u", Platform::Daily).into_room(name, chrono::Utc::now()),
            is_owner: true,
            live_meetings: live,
            participants: live * 2,
            live_since: None,
            recordings: 0,
            next_event: next.map(|starts_at| NextEvent {
                title: "Standup".into(),
                starts_at,
            }),
            failover_notice: None,
        }
    }

    #[test]
    fn live_rooms_come_first_then_the_next_events() {
        let sorted = by_what_is_on(vec![
            entry("quiet", 0, None),
            entry("later", 0, Some(2_000)),
            entry("live", 1, None),
            entry("soon", 0, Some(1_000)),
        ]);
        let names: Vec<_> = sorted.iter().map(|entry| entry.room.name.as_str()).collect();
        assert_eq!(names, ["live", "soon", "later", "quiet"]);
    }
}
