use leptos::either::EitherOf6;
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::hooks::use_params_map;

use super::chooser::MeetingChooser;
use super::daily::DailyRoom;
use super::load::{load_room, RoomLoad};
use super::notice::RoomNotice;
use super::whereby::WherebyRoom;
use crate::components::{browser_only, PageTitle};
use crate::types::{Platform, RoomVisit};

/// Gets or creates the room's meeting, then shows the call of the meeting's
/// platform. Everything happens in the browser: a page render alone never
/// creates a meeting.
#[component]
pub fn RoomContainer() -> impl IntoView {
    let params = use_params_map();
    let room_name = move || params.read().get("room_name").unwrap_or_default();
    view! {
        <PageTitle page=room_name/>
        {browser_only("room-page", "Opening the room…", room_call)}
    }
}

fn room_call() -> impl IntoView {
    let params = use_params_map();
    let room_name = move || params.read().get("room_name").unwrap_or_default();
    let meeting_id = move || params.read().get("meeting_id");
    let state = RwSignal::new(RoomLoad::Loading);
    let attempt = RwSignal::new(0u32);

    Effect::new(move || {
        attempt.track();
        let (name, meeting) = (room_name(), meeting_id());
        state.set(RoomLoad::Loading);
        spawn_local(async move { state.set(load_room(name, meeting).await) });
    });
    let retry = Callback::new(move |()| attempt.update(|n| *n += 1));

    move || match state.get() {
        RoomLoad::Loading => EitherOf6::A(view! {
            <div class="room-notice" role="status">
                <div class="spinner" aria-hidden="true"></div>
                <p>"Opening the room…"</p>
            </div>
        }),
        RoomLoad::Failed(message) => {
            EitherOf6::B(view! { <RoomNotice title="The meeting could not be opened" message retry/> })
        }
        RoomLoad::Loaded(RoomVisit {
            room_name,
            call: None,
            choices,
        }) => EitherOf6::C(view! { <MeetingChooser room_name meetings=choices/> }),
        RoomLoad::Loaded(RoomVisit { call: Some(call), .. }) => match call.platform {
            Platform::Daily => EitherOf6::D(view! { <DailyRoom call/> }),
            Platform::Whereby => EitherOf6::E(view! { <WherebyRoom call/> }),
            other => EitherOf6::F(view! {
                <RoomNotice
                    title="Unknown platform"
                    message=format!("This meeting runs on {}, which this page cannot show.", other.label())
                />
            }),
        },
    }
}
