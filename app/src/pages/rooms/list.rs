use leptos::either::{Either, EitherOf4};
use leptos::prelude::*;

use super::form::{FormMode, LazyRoomForm};
use super::row::RoomRow;
use crate::api::rooms_overview;
use crate::components::toasts::ToastRegion;
use crate::components::{browser_only, PageTitle};
use crate::types::RoomOverview;

#[component]
pub fn RoomsPage() -> impl IntoView {
    view! {
        <PageTitle page="Rooms"/>
        <main class="page">{browser_only("rooms", "Loading rooms…", rooms_content)}</main>
        <ToastRegion/>
    }
}

fn rooms_content() -> impl IntoView {
    let version = RwSignal::new(0u32);
    let rooms = LocalResource::new(move || {
        version.track();
        rooms_overview()
    });
    let refresh = Callback::new(move |()| version.update(|n| *n += 1));
    let form = RwSignal::new(None::<FormMode>);

    view! {
        <div class="page-heading">
            <h1>"Rooms"</h1>
            <button type="button" class="button" on:click=move |_| form.set(Some(FormMode::Create))>
                "Add room"
            </button>
        </div>
        {move || {
            form.get()
                .map(|mode| {
                    let on_close = Callback::new(move |saved: bool| {
                        form.set(None);
                        if saved {
                            refresh.run(());
                        }
                    });
                    view! { <LazyRoomForm mode on_close/> }
                })
        }}
        {move || match rooms.get() {
            None => EitherOf4::A(view! { <p role="status">"Loading rooms…"</p> }),
            Some(Ok(list)) => {
                let (mine, shared): (Vec<_>, Vec<_>) = list.into_iter().partition(|entry| entry.is_owner);
                EitherOf4::B(
                    view! {
                        <RoomSection title="My rooms" empty="You have no rooms yet. Add one: its name becomes the address people join." rooms=mine form refresh/>
                        <RoomSection title="Shared rooms" empty="No shared rooms. Rooms others share with everyone signed in appear here." rooms=shared form refresh/>
                    },
                )
            }
            Some(Err(error)) if error.status == 401 => {
                EitherOf4::C(
                    view! {
                        <p class="card">
                            "Log in to see and manage rooms. " <a href="/login?next=/rooms">"Log in"</a>
                        </p>
                    },
                )
            }
            Some(Err(error)) => {
                EitherOf4::D(
                    view! {
                        <div class="card" role="alert">
                            <p class="error">{format!("The rooms could not be loaded: {error}")}</p>
                            <button type="button" class="button" on:click=move |_| refresh.run(())>
                                "Try again"
                            </button>
                        </div>
                    },
                )
            }
        }}
    }
}

#[component]
fn RoomSection(
    title: &'static str,
    empty: &'static str,
    rooms: Vec<RoomOverview>,
    form: RwSignal<Option<FormMode>>,
    refresh: Callback<()>,
) -> impl IntoView {
    let body = if rooms.is_empty() {
        Either::Left(view! { <p class="hint">{empty}</p> })
    } else {
        Either::Right(view! {
            <table class="rooms-table">
                <thead>
                    <tr>
                        <th scope="col">"Room"</th>
                        <th scope="col">"Platform"</th>
                        <th scope="col">"Now"</th>
                        <th scope="col">"Recording"</th>
                        <th scope="col"><span class="visually-hidden">"Actions"</span></th>
                    </tr>
                </thead>
                <tbody>
                    {rooms
                        .into_iter()
                        .map(|entry| view! { <RoomRow entry form refresh/> })
                        .collect_view()}
                </tbody>
            </table>
        })
    };
    view! {
        <section class="rooms-section" aria-label=title>
            <h2>{title}</h2>
            {body}
        </section>
    }
}
