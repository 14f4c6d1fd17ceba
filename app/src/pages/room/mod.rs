//! The participant's page, `/{room_name}` and `/{room_name}/{meeting_id}`:
//! full screen, no site chrome, its code loaded only when a room is opened.

mod chooser;
mod consent;
mod container;
mod daily;
mod jitsi;
mod livekit;
mod load;
mod notice;
mod whereby;

use leptos::prelude::*;
use leptos_router::{lazy_route, LazyRoute};

pub struct RoomRoute;

#[lazy_route]
impl LazyRoute for RoomRoute {
    fn data() -> Self {
        RoomRoute
    }

    fn view(_this: Self) -> AnyView {
        view! { <container::RoomContainer/> }.into_any()
    }
}
