//! A LiveKit call drawn by the page: livekit-client connects with the
//! token the server minted; every participant gets a tile with their video
//! and name; microphone, camera and leave buttons; the consent control.
//! Leaving the page disconnects.

use leptos::html::Div;
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::hooks::use_navigate;
use send_wrapper::SendWrapper;
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;

use super::consent::{CallConsent, Consent};
use super::notice::CallProblem;
use crate::browser::call_handle::CallHandle;
use crate::browser::daily::js_object;
use crate::browser::livekit::{
    server_and_token, LiveKitRoom as Room, Participant, Track as MediaTrack, TrackPublication,
    LIVEKIT_GLOBAL, LIVEKIT_SCRIPT,
};
use crate::browser::script::load_script_once;
use crate::types::CallDetails;

type Handlers = Vec<SendWrapper<Closure<dyn FnMut(JsValue, JsValue, JsValue)>>>;

#[component]
pub fn LiveKitRoom(call: CallDetails) -> impl IntoView {
    let consent = Consent::for_meeting(call.meeting_id.clone());
    let grid = NodeRef::<Div>::new();
    let problem = RwSignal::new(None::<String>);
    let attempt = RwSignal::new(0u32);
    let joined = RwSignal::new(false);
    let microphone = RwSignal::new(true);
    let camera = RwSignal::new(true);
    let room = CallHandle::<Room>::default();
    let handlers = StoredValue::new(Handlers::new());
    let navigate = use_navigate();
    let connection = server_and_token(&call.join_url);

    let live = room.clone();
    Effect::new(move || {
        attempt.track();
        let room = live.clone();
        let Some(grid) = grid.get() else { return };
        problem.set(None);
        let Some((server, token)) = connection.clone() else {
            problem.set(Some("The meeting's address carries no LiveKit token".into()));
            return;
        };
        spawn_local(async move {
            if let Err(error) = load_script_once(LIVEKIT_SCRIPT, LIVEKIT_GLOBAL).await {
                problem.set(Some(error));
                return;
            }
            leave_quietly(&room);
            grid.set_inner_html("");
            let call = Room::new(&js_object(&[
                ("adaptiveStream", JsValue::TRUE),
                ("dynacast", JsValue::TRUE),
            ]));
            handlers.set_value(listen(&call, &grid));
            room.set(call.clone().unchecked_into::<Room>());
            if JsFuture::from(call.connect(&server, &token)).await.is_err() {
                problem.set(Some(
                    "Could not connect to the LiveKit server. Check your connection and try again.".into(),
                ));
                return;
            }
            joined.set(true);
            let me = call.local_participant();
            // Without a camera or a microphone (or permission), the call goes on.
            let _ = JsFuture::from(me.set_microphone_enabled(true)).await;
            let _ = JsFuture::from(me.set_camera_enabled(true)).await;
        });
    });
    let on_unmount = room.clone();
    on_cleanup(move || leave_quietly(&on_unmount));

    let toggle = |signal: RwSignal<bool>, camera_switch: bool| {
        let room = room.clone();
        move |_| {
            let Some(call) = room.with(|call| call.map(|call| JsValue::from(call).unchecked_into::<Room>()))
            else {
                return;
            };
            let on = !signal.get_untracked();
            signal.set(on);
            let me = call.local_participant();
            let switched = if camera_switch {
                me.set_camera_enabled(on)
            } else {
                me.set_microphone_enabled(on)
            };
            spawn_local(async move {
                let _ = JsFuture::from(switched).await;
            });
        }
    };
    let leave = {
        let (navigate, room) = (navigate.clone(), room.clone());
        move |_| {
            leave_quietly(&room);
            navigate("/", Default::default());
        }
    };

    view! {
        <div class="call livekit-call">
            <div class="livekit-grid" node_ref=grid aria-label="Participants"></div>
            <div class="livekit-controls" role="toolbar" aria-label="Call controls">
                <button type="button" disabled=move || !joined.get() aria-pressed=move || (!microphone.get()).to_string()
                    on:click=toggle(microphone, false)>
                    {move || if microphone.get() { "Mute" } else { "Unmute" }}
                </button>
                <button type="button" disabled=move || !joined.get() aria-pressed=move || (!camera.get()).to_string()
                    on:click=toggle(camera, true)>
                    {move || if camera.get() { "Stop camera" } else { "Start camera" }}
                </button>
                <button type="button" class="danger" on:click=leave>"Leave"</button>
            </div>
        </div>
        <CallConsent consent call/>
        <CallProblem title="The call could not start" problem attempt/>
    }
}

fn leave_quietly(room: &CallHandle<Room>) {
    if let Some(call) = room.take() {
        let _ = call.disconnect();
    }
}

/// Keeps `grid` in step with the room: a tile per participant holding
/// their tracks' elements, gone when they leave.
fn listen(call: &Room, grid: &web_sys::HtmlDivElement) -> Handlers {
    let mut handlers = Handlers::new();
    let mut on = |event: &str, handler: Box<dyn FnMut(JsValue, JsValue, JsValue)>| {
        let closure = Closure::wrap(handler);
        call.on(event, closure.as_ref().unchecked_ref());
        handlers.push(SendWrapper::new(closure));
    };
    let tiles = grid.clone();
    // (track, publication, participant)
    on(
        "trackSubscribed",
        Box::new(move |track, _, participant| {
            show_track(&tiles, &track.unchecked_into(), &participant.unchecked_into())
        }),
    );
    let tiles = grid.clone();
    // (publication, participant)
    on(
        "localTrackPublished",
        Box::new(move |publication, participant, _| {
            let publication: TrackPublication = publication.unchecked_into();
            if let Some(track) = publication.track().filter(|track| track.kind() == "video") {
                show_track(&tiles, &track, &participant.unchecked_into());
            }
        }),
    );
    on(
        "trackUnsubscribed",
        Box::new(move |track, _, _| {
            for element in track.unchecked_into::<MediaTrack>().detach().iter() {
                element.unchecked_into::<web_sys::Element>().remove();
            }
        }),
    );
    let tiles = grid.clone();
    on(
        "participantDisconnected",
        Box::new(move |participant, _, _| {
            if let Some(tile) = tile_of(&tiles, &participant.unchecked_into::<Participant>().identity()) {
                tile.remove();
            }
        }),
    );
    handlers
}

fn tile_of(grid: &web_sys::HtmlDivElement, identity: &str) -> Option<web_sys::Element> {
    let selector = format!("[data-identity=\"{}\"]", identity.replace(['"', '\\'], ""));
    grid.query_selector(&selector).ok().flatten()
}

/// Puts `track` in its participant's tile, making the tile on first sight.
fn show_track(grid: &web_sys::HtmlDivElement, track: &MediaTrack, participant: &Participant) {
    let identity = participant.identity();
    let tile = match tile_of(grid, &identity) {
        Some(tile) => tile,
        None => {
            let Some(document) = web_sys::window().and_then(|w| w.document()) else {
                return;
            };
            let Ok(tile) = document.create_element("figure") else {
                return;
            };
            let _ = tile.set_attribute("class", "livekit-tile");
            let _ = tile.set_attribute("data-identity", &identity);
            if let Ok(caption) = document.create_element("figcaption") {
                caption.set_text_content(Some(
                    &participant.name().filter(|n| !n.is_empty()).unwrap_or(identity),
                ));
                let _ = tile.append_child(&caption);
            }
            let _ = grid.append_child(&tile);
            tile
        }
    };
    let element = track.attach();
    let _ = tile.insert_before(&element, tile.first_child().as_ref());
}
