//! `/transcripts`: the transcripts one may read, newest first, and search
//! over them (`?q=` words, `"phrases"`, `prefix*`; `&room=` one room's),
//! results best first with the passages that matched highlighted. The query
//! lives in the address, so a search can be shared and Back returns to it.

use leptos::either::{Either, EitherOf4};
use leptos::html::{Input, Select};
use leptos::prelude::*;
use leptos_router::hooks::{use_navigate, use_query_map};

use super::marks::snippet_view;
use crate::api::{list_transcripts, room_choices, search_transcripts};
use crate::components::{browser_only, PageTitle, When};
use crate::types::{ApiError, SearchResponse, Transcript, TranscriptPage, TranscriptStatus};

const SHOWN: i64 = 50;

#[component]
pub fn TranscriptsPage() -> impl IntoView {
    view! {
        <PageTitle page="Transcripts"/>
        <main class="page">{browser_only("transcripts", "Loading transcripts…", transcripts_content)}</main>
    }
}

#[derive(Clone)]
enum Listing {
    Recent(TranscriptPage),
    Found(SearchResponse),
}

fn transcripts_content() -> impl IntoView {
    let query = use_query_map();
    let words = move || query.read().get("q").unwrap_or_default();
    let room = move || query.read().get("room").filter(|room| !room.is_empty());
    let listing = LocalResource::new(move || {
        let (words, room) = (words(), room());
        async move {
            if words.trim().is_empty() {
                list_transcripts(room, 1, SHOWN).await.map(Listing::Recent)
            } else {
                search_transcripts(words, room, SHOWN, 0)
                    .await
                    .map(Listing::Found)
            }
        }
    });
    view! {
        <h1>"Transcripts"</h1>
        <SearchForm words=words() room=room()/>
        {move || match listing.get() {
            None => EitherOf4::A(view! { <p role="status">"Loading transcripts…"</p> }),
            Some(Ok(Listing::Recent(page))) => EitherOf4::B(Either::Left(recent_view(page))),
            Some(Ok(Listing::Found(found))) => EitherOf4::B(Either::Right(found_view(found))),
            Some(Err(error)) if error.status == 401 => EitherOf4::C(view! {
                <p class="card">"Log in to read transcripts. " <a href="/login?next=/transcripts">"Log in"</a></p>
            }),
            Some(Err(ApiError { detail, .. })) => {
                EitherOf4::D(view! { <p class="error" role="alert">{detail}</p> })
            }
        }}
    }
}

/// Words and a room; searching puts them in the address.
#[component]
fn SearchForm(words: String, room: Option<String>) -> impl IntoView {
    let words_input = NodeRef::<Input>::new();
    let room_select = NodeRef::<Select>::new();
    let rooms = LocalResource::new(room_choices);
    let navigate = use_navigate();
    let submit = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        let words = words_input.get().map(|input| input.value()).unwrap_or_default();
        let room = room_select.get().map(|select| select.value()).unwrap_or_default();
        let mut address = format!("/transcripts?q={}", encoded(words.trim()));
        if !room.is_empty() {
            address.push_str(&format!("&room={}", encoded(&room)));
        }
        navigate(&address, Default::default());
    };
    let chosen = room.clone().unwrap_or_default();
    let room_options = move || {
        let chosen = chosen.clone();
        rooms.get().and_then(Result::ok).map(|rooms| {
            rooms
                .into_iter()
                .map(|room| {
                    let selected = room.id == chosen;
                    view! { <option value=room.id selected=selected>{room.name}</option> }
                })
                .collect_view()
        })
    };
    view! {
        <form class="search-form card" role="search" on:submit=submit>
            <label for="transcript-search">"Search what was said"</label>
            <div class="search-row">
                <input
                    id="transcript-search"
                    type="search"
                    name="q"
                    value=words
                    node_ref=words_input
                    placeholder="budget, \"next release\", fri*"
                />
                <label class="visually-hidden" for="transcript-room">"Room"</label>
                <select id="transcript-room" name="room" node_ref=room_select>
                    <option value="" selected=room.is_none()>"All rooms"</option>
                    {room_options}
                </select>
                <button type="submit" class="button">"Search"</button>
            </div>
        </form>
    }
}

fn encoded(text: &str) -> String {
    String::from(js_sys::encode_uri_component(text))
}

fn recent_view(page: TranscriptPage) -> impl IntoView {
    if page.items.is_empty() {
        return Either::Left(view! {
            <p class="hint">
                "No transcripts yet. Record a meeting in one of your rooms: with a transcription service "
                "configured, its transcript appears here once the recording is stored."
            </p>
        });
    }
    Either::Right(view! {
        <section aria-label="Latest transcripts">
            <h2>"Latest"</h2>
            <ul class="transcript-list">{page.items.into_iter().map(transcript_item).collect_view()}</ul>
        </section>
    })
}

fn transcript_item(transcript: Transcript) -> impl IntoView {
    let href = format!("/transcripts/{}", transcript.id);
    let room = transcript.room_name.unwrap_or_else(|| "Recording".to_owned());
    let created = transcript.created_at.timestamp_millis();
    let state = match transcript.status {
        TranscriptStatus::Completed => minutes(transcript.duration),
        TranscriptStatus::Failed => "failed".to_owned(),
        other => other.as_str().to_owned(),
    };
    view! {
        <li>
            <a href=href>{room}" · "<When unix_ms=created/></a>
            <span class="hint">" · "{state}</span>
        </li>
    }
}

/// "12 min", "under a minute".
fn minutes(duration: Option<f64>) -> String {
    match duration.map(|seconds| (seconds / 60.0).round() as i64) {
        Some(0) => "under a minute".into(),
        Some(minutes) => format!("{minutes} min"),
        None => String::new(),
    }
}

fn found_view(found: SearchResponse) -> impl IntoView {
    let count = match found.total {
        0 => format!(
            "Nothing found for “{}”. Try fewer or other words, or all rooms.",
            found.query
        ),
        1 => "1 transcript found.".to_owned(),
        n => format!("{n} transcripts found."),
    };
    view! {
        <p role="status">{count}</p>
        <ol class="search-results">
            {found
                .results
                .into_iter()
                .map(|result| {
                    let href = format!("/transcripts/{}", result.id);
                    let matches = match result.total_match_count {
                        1 => "1 match".to_owned(),
                        n => format!("{n} matches"),
                    };
                    view! {
                        <li class="search-result">
                            <a href=href>{result.title}</a>
                            <span class="hint">" · "{matches}</span>
                            {result
                                .search_snippets
                                .iter()
                                .map(|snippet| view! { <p class="snippet">{snippet_view(snippet)}</p> })
                                .collect_view()}
                        </li>
                    }
                })
                .collect_view()}
        </ol>
    }
}
