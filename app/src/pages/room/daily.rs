//! A Daily call: daily-js's prebuilt UI in an iframe filling the page.

use std::cell::Cell;
use std::rc::Rc;

use leptos::html::Div;
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::hooks::use_navigate;
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;

use super::consent::{Consent, ConsentPrompt};
use super::notice::CallProblem;
use crate::api::start_meeting_recording;
use crate::browser::call_handle::CallHandle;
use crate::browser::daily::{self, event_text, js_object, DailyCall};
use crate::browser::page::{self, console_warn};
use crate::browser::script::load_script_once;
use crate::browser::timer::sleep_ms;
use crate::types::consent::{shows_consent_button, shows_recording_indicator};
use crate::types::error_codes;
use crate::types::{CallDetails, DailyRecordingKind};

const CONSENT_BUTTON_ID: &str = "recording-consent";
/// Daily answers this until the call it was asked to record is up.
const RECORDING_START_DELAY_MS: i32 = 2000;
const RECORDING_START_ATTEMPTS: u32 = 5;

/// The live call and the handlers it calls back, dropped together.
struct DailySession {
    call: DailyCall,
    ending: Rc<Cell<bool>>,
    _handlers: Vec<Closure<dyn FnMut(JsValue)>>,
}

impl DailySession {
    /// Destroys the frame; handlers live until daily-js is done with them.
    fn end(self) {
        self.ending.set(true);
        let destroyed = self.call.destroy();
        spawn_local(async move {
            let _ = JsFuture::from(destroyed).await;
            drop(self);
        });
    }
}

#[derive(Clone, Copy)]
struct CallSignals {
    joined: RwSignal<bool>,
    problem: RwSignal<Option<String>>,
    consent: Consent,
}

#[component]
pub fn DailyRoom(call: CallDetails) -> impl IntoView {
    let consent = Consent::for_meeting(call.meeting_id.clone());
    let signals = CallSignals {
        joined: RwSignal::new(false),
        problem: RwSignal::new(None),
        consent,
    };
    let container = NodeRef::<Div>::new();
    let attempt = RwSignal::new(0u32);
    let session = CallHandle::<DailySession>::default();
    let navigate = use_navigate();
    let call = StoredValue::new(call);

    let tray_for = move |answer: Option<bool>| {
        let call = call.read_value();
        tray_buttons(
            shows_consent_button(&call, answer),
            shows_recording_indicator(&call, answer),
        )
    };
    let live = session.clone();
    Effect::new(move || {
        attempt.track();
        let Some(parent) = container.get() else { return };
        if let Some(old) = live.take() {
            old.end();
        }
        signals.problem.set(None);
        signals.joined.set(false);
        let navigate = navigate.clone();
        let tray = tray_for(consent.answer.get_untracked());
        let call = call.get_value();
        let session = live.clone();
        spawn_local(async move {
            let on_left = move || navigate("/", Default::default());
            match open_call(&parent, &call, tray, signals, on_left).await {
                Ok(opened) => {
                    if let Some(old) = session.set(opened) {
                        old.end();
                    }
                }
                Err(problem) => signals.problem.set(Some(problem)),
            }
        });
    });

    let joined = session.clone();
    Effect::new(move || {
        let buttons = tray_for(consent.answer.get());
        if signals.joined.get() {
            joined.with(|session| {
                if let Some(session) = session.filter(|s| s.call.meeting_state() == "joined-meeting") {
                    let _ = session.call.update_custom_tray_buttons(&buttons);
                }
            });
        }
    });
    on_cleanup(move || {
        if let Some(old) = session.take() {
            old.end();
        }
    });

    view! {
        <div class="call daily-call" node_ref=container></div>
        <ConsentPrompt consent/>
        <CallProblem title="The call stopped" problem=signals.problem attempt/>
    }
}

async fn open_call(
    parent: &web_sys::HtmlDivElement,
    details: &CallDetails,
    tray: JsValue,
    signals: CallSignals,
    on_left: impl Fn() + 'static,
) -> Result<DailySession, String> {
    load_script_once(daily::DAILY_SCRIPT, daily::DAILY_GLOBAL).await?;
    // daily-js allows one call per page: a leftover one would make createFrame throw.
    if let Some(leftover) = daily::existing_call() {
        let _ = JsFuture::from(leftover.destroy()).await;
    }
    let frame_style = js_object(&[
        ("width", "100%".into()),
        ("height", "100%".into()),
        ("border", "0".into()),
    ]);
    let options = js_object(&[
        ("iframeStyle", frame_style),
        ("showLeaveButton", true.into()),
        ("showFullscreenButton", true.into()),
        ("customTrayButtons", tray),
    ]);
    let call = daily::create_frame(parent, &options)
        .map_err(|error| format!("The call could not start: {}", describe(&error)))?;
    let ending = Rc::new(Cell::new(false));
    let mut handlers = Vec::new();

    let record = details
        .records_to_cloud
        .then(|| (details.meeting_id.clone(), details.store_video));
    handlers.push(listen(&call, "joined-meeting", move |_| {
        signals.joined.try_set(true);
        if let Some((meeting_id, store_video)) = record.clone() {
            spawn_local(start_recordings(meeting_id, store_video));
        }
    }));
    let left_ending = ending.clone();
    handlers.push(listen(&call, "left-meeting", move |_| {
        if !left_ending.get() {
            on_left();
        }
    }));
    handlers.push(listen(&call, "error", move |event| {
        let message = event_text(&event, "errorMsg").unwrap_or_else(|| "The call failed".into());
        signals.problem.try_set(Some(message));
    }));
    handlers.push(listen(&call, "custom-button-click", move |event| {
        if event_text(&event, "button_id").as_deref() == Some(CONSENT_BUTTON_ID) {
            signals.consent.open.try_set(true);
        }
    }));

    let video = js_object(&[
        ("allowAdaptiveLayers", true.into()),
        ("maxQuality", "medium".into()),
    ]);
    let join_options = js_object(&[
        ("url", details.join_url.as_str().into()),
        ("sendSettings", js_object(&[("video", video)])),
    ]);
    let joining = call
        .join(&join_options)
        .map_err(|error| format!("Could not join the call: {}", describe(&error)))?;
    let join_ending = ending.clone();
    spawn_local(async move {
        if let Err(error) = JsFuture::from(joining).await {
            if !join_ending.get() {
                signals
                    .problem
                    .try_set(Some(format!("Could not join the call: {}", describe(&error))));
            }
        }
    });
    Ok(DailySession {
        call,
        ending,
        _handlers: handlers,
    })
}

fn listen(
    call: &DailyCall,
    event: &str,
    handler: impl FnMut(JsValue) + 'static,
) -> Closure<dyn FnMut(JsValue)> {
    let handler = Closure::<dyn FnMut(JsValue)>::new(handler);
    call.on(event, handler.as_ref().unchecked_ref());
    handler
}

fn describe(error: &JsValue) -> String {
    error
        .as_string()
        .or_else(|| event_text(error, "message"))
        .unwrap_or_else(|| "unknown error".into())
}

/// Every participant's browser asks; Reflector's deterministic instance ids
/// (derived by the server) make the many requests one recording.
async fn start_recordings(meeting_id: String, store_video: bool) {
    sleep_ms(RECORDING_START_DELAY_MS).await;
    let kinds: &[DailyRecordingKind] = if store_video {
        &[DailyRecordingKind::RawTracks, DailyRecordingKind::Cloud]
    } else {
        &[DailyRecordingKind::RawTracks]
    };
    for &kind in kinds {
        for attempt in 1..=RECORDING_START_ATTEMPTS {
            match start_meeting_recording(meeting_id.clone(), kind).await {
                Ok(_) => break,
                Err(error)
                    if error.has_code(error_codes::CALL_NOT_STARTED)
                        && attempt < RECORDING_START_ATTEMPTS =>
                {
                    sleep_ms(RECORDING_START_DELAY_MS).await;
                }
                Err(error) => {
                    console_warn(&format!("recording ({}) did not start: {error}", kind.as_str()));
                    break;
                }
            }
        }
    }
}

fn tray_buttons(consent_button: bool, recording_indicator: bool) -> JsValue {
    let origin = page::origin();
    let button = |label: &str, tooltip: &str| {
        js_object(&[
            ("iconPath", format!("{origin}/recording-icon.svg").into()),
            ("label", label.into()),
            ("tooltip", tooltip.into()),
        ])
    };
    if consent_button {
        js_object(&[(
            CONSENT_BUTTON_ID,
            button("Recording (click to consent)", "This meeting is being recorded"),
        )])
    } else if recording_indicator {
        js_object(&[(
            "recording-indicator",
            button("Recording", "Recording in progress"),
        )])
    } else {
        js_object(&[])
    }
}
