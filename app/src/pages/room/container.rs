use leptos::either::EitherOf8;
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::hooks::use_params_map;

use super::chooser::MeetingChooser;
use super::daily::DailyRoom;
use super::jitsi::JitsiRoom;
use super::livekit::LiveKitRoom;
use super::load::{load_room, RoomLoad};
use super::notice::RoomNotice;
use super::whereby::WherebyRoom;
use crate::components::{browser_only, PageTitle};
use crate::types::{CallDetails, Platform, RoomVisit};

const CHOICES_REFRESH_MS: i32 = 30_000;

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
    let start_now = RwSignal::new(false);

    let generation = StoredValue::new(0u32);

    Effect::new(move || {
        attempt.track();
        let (name, meeting, start) = (room_name(), meeting_id(), start_now.get());
        state.set(RoomLoad::Loading);
        generation.update_value(|n| *n += 1);
        let this_load = generation.get_value();
        spawn_local(async move {
            let mut load = load_room(name.clone(), meeting.clone(), start).await;
            // A choice to make goes stale (meetings start, events come up):
            // look again quietly until this load is replaced.
            while choosing(&load) {
                state.set(load);
                crate::browser::timer::sleep_ms(CHOICES_REFRESH_MS).await;
                if generation.try_get_value() != Some(this_load) {
                    return;
                }
                load = load_room(name.clone(), meeting.clone(), start).await;
            }
            state.set(load);
        });
    });
    let retry = Callback::new(move |()| attempt.update(|n| *n += 1));
    let start = Callback::new(move |()| start_now.set(true));

    move || match state.get() {
        RoomLoad::Loading => EitherOf8::A(view! {
            <div class="room-notice" role="status">
                <div class="spinner" aria-hidden="true"></div>
                <p>"Opening the room…"</p>
            </div>
        }),
        RoomLoad::Failed(message) => {
            EitherOf8::B(view! { <RoomNotice title="The meeting could not be opened" message retry/> })
        }
        RoomLoad::Loaded(RoomVisit {
            room_name,
            call: None,
            choices,
            upcoming,
            can_start,
        }) => EitherOf8::C(view! {
            <MeetingChooser room_name meetings=choices upcoming can_start start_now=start/>
        }),
        RoomLoad::Loaded(RoomVisit { call: Some(call), .. }) => match call.platform {
            Platform::Daily => EitherOf8::D(view! { {failover_banner(&call)} <DailyRoom call/> }),
            Platform::Whereby => EitherOf8::E(view! { {failover_banner(&call)} <WherebyRoom call/> }),
            Platform::Jitsi => EitherOf8::G(view! { {failover_banner(&call)} <JitsiRoom call/> }),
            Platform::LiveKit => EitherOf8::H(view! { {failover_banner(&call)} <LiveKitRoom call/> }),
            other => EitherOf8::F(view! {
                <RoomNotice
                    title="Unknown platform"
                    message=format!("This meeting runs on {}, which this page cannot show.", other.label())
                />
            }),
        },
    }
}

/// Where the meeting really runs, when its room's platform was down.
fn failover_banner(call: &CallDetails) -> Option<impl IntoView> {
    call.failover_notice
        .clone()
        .map(|notice| view! { <p class="failover-notice" role="status">{notice}</p> })
}

fn choosing(load: &RoomLoad) -> bool {
    matches!(load, RoomLoad::Loaded(RoomVisit { call: None, .. }))
}
