//! `/rooms`: the signed-in user's rooms and the shared ones, the room form,
//! and each owned room's recordings. Loaded only when visited.

mod calendar_tab;
mod fields;
mod form;
mod list;
mod recordings;
mod row;
mod webhook_log;
mod webhook_tab;

use leptos::prelude::*;
use leptos_router::{lazy_route, LazyRoute};

pub struct RoomsRoute;

#[lazy_route]
impl LazyRoute for RoomsRoute {
    fn data() -> Self {
        RoomsRoute
    }

    fn view(_this: Self) -> AnyView {
        view! { <list::RoomsPage/> }.into_any()
    }
}
