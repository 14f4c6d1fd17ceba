//! `/rooms/<name>/history` (the room's owner): past and live meetings,
//! newest first, each with a timeline of who was there, the consent
//! answers, recordings and transcripts. Loaded only when visited.

mod meeting;

use leptos::either::EitherOf4;
use leptos::prelude::*;
use leptos_router::hooks::use_params_map;
use leptos_router::{lazy_route, LazyRoute};

use crate::api::read_room_history;
use crate::components::{browser_only, PageTitle};
use meeting::MeetingCard;

pub struct HistoryRoute;

#[lazy_route]
impl LazyRoute for HistoryRoute {
    fn data() -> Self {
        HistoryRoute
    }

    fn view(_this: Self) -> AnyView {
        view! { <HistoryPage/> }.into_any()
    }
}

#[component]
fn HistoryPage() -> impl IntoView {
    let params = use_params_map();
    let room_name = move || params.read().get("room_name").unwrap_or_default();
    view! {
        <PageTitle page=move || format!("History of {}", room_name())/>
        <main class="page narrow">{browser_only("history", "Loading the room's history…", history_content)}</main>
    }
}

fn history_content() -> impl IntoView {
    let params = use_params_map();
    let room_name = move || params.read().get("room_name").unwrap_or_default();
    let page = RwSignal::new(1i64);
    let history = LocalResource::new(move || read_room_history(room_name(), page.get()));
    view! {
        <p><a href="/rooms">"← Rooms"</a></p>
        <h1>{move || format!("History of {}", room_name())}</h1>
        {move || match history.get() {
            None => EitherOf4::A(view! { <p role="status">"Loading…"</p> }),
            Some(Ok(history)) if history.meetings.is_empty() => EitherOf4::B(view! {
                <p class="card hint">
                    "No meetings yet. Share the room's address — "
                    <a href=format!("/{}", history.room_name)>{format!("/{}", history.room_name)}</a>
                    " — and its meetings will show here."
                </p>
            }),
            Some(Ok(history)) => {
                let pages = history.pages;
                EitherOf4::C(view! {
                    {history.meetings.into_iter().map(|meeting| view! { <MeetingCard meeting/> }).collect_view()}
                    {(pages > 1).then(|| view! {
                        <nav class="pager" aria-label="Pages">
                            <button type="button" class="button secondary" disabled=move || { page.get() <= 1 }
                                on:click=move |_| page.update(|p| *p -= 1)>"Newer"</button>
                            <span>{move || format!("Page {} of {}", page.get(), pages)}</span>
                            <button type="button" class="button secondary" disabled=move || { page.get() >= pages }
                                on:click=move |_| page.update(|p| *p += 1)>"Older"</button>
                        </nav>
                    })}
                })
            }
            Some(Err(error)) => EitherOf4::D(view! {
                <p class="error" role="alert">{format!("The history could not be loaded: {error}")}</p>
            }),
        }}
    }
}
