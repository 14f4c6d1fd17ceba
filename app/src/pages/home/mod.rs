//! `/`: anyone can join a room by its name; signed-in people also see their
//! rooms with what is live or next, and the latest transcripts.

mod join;
mod overview;

use leptos::prelude::*;
use leptos_router::{lazy_route, LazyRoute};

use crate::components::{browser_only, PageTitle};
use join::JoinRoom;

/// `/`, loaded as its own chunk so the room page never carries it.
pub struct HomeRoute;

#[lazy_route]
impl LazyRoute for HomeRoute {
    fn data() -> Self {
        HomeRoute
    }

    fn view(_this: Self) -> AnyView {
        view! { <HomePage/> }.into_any()
    }
}

#[component]
fn HomePage() -> impl IntoView {
    view! {
        <PageTitle page="Welcome"/>
        <main class="page narrow home">
            <h1>"Reflector Rooms"</h1>
            <p class="lead">
                "Every room has its own address. Type a room's name to join the meeting there."
            </p>
            <JoinRoom/>
            {browser_only("home-overview", "Loading your rooms…", overview::home_overview)}
        </main>
    }
}
