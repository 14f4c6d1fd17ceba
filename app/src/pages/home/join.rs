//! "Join a room": a plain GET form (it works before the page has hydrated,
//! and without scripts); the name typed is tidied the way room names are,
//! then the visitor is sent to the room.

use leptos::either::Either;
use leptos::prelude::*;
use leptos_router::components::Redirect;
use leptos_router::hooks::use_query_map;

use crate::types::room_name::{normalize_room_name_input, room_name_problem};

#[component]
pub fn JoinRoom() -> impl IntoView {
    let query = use_query_map();
    let typed = move || query.read().get("room");
    let destination = move || {
        let name = normalize_room_name_input(&typed()?);
        Some(match room_name_problem(&name) {
            None => Ok(name),
            Some(problem) => Err(problem),
        })
    };
    view! {
        <form class="card join-room" method="get" action="/" aria-labelledby="join-heading">
            <h2 id="join-heading">"Join a room"</h2>
            <label for="join-room-name">"Room name"</label>
            <div class="join-row">
                <input
                    id="join-room-name"
                    name="room"
                    type="text"
                    autocomplete="off"
                    autocapitalize="none"
                    spellcheck="false"
                    placeholder="team-standup"
                    required
                    value=move || typed().unwrap_or_default()
                />
                <button type="submit" class="button">"Join"</button>
            </div>
            {move || match destination() {
                Some(Ok(name)) => Some(Either::Left(view! { <Redirect path=format!("/{name}")/> })),
                Some(Err(problem)) => Some(Either::Right(view! { <p class="error" role="alert">{problem}</p> })),
                None => None,
            }}
        </form>
    }
}
