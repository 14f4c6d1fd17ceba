//! A Jitsi call: the deployment's External API puts Jitsi Meet in an iframe,
//! opened with the token the server signed for this participant.

use leptos::html::Div;
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::hooks::use_navigate;
use send_wrapper::SendWrapper;
use wasm_bindgen::prelude::*;

use super::consent::{CallConsent, Consent};
use super::notice::CallProblem;
use crate::browser::call_handle::CallHandle;
use crate::browser::daily::js_object;
use crate::browser::jitsi::{JitsiMeetExternalApi, JITSI_GLOBAL};
use crate::browser::script::load_script_once;
use crate::types::{CallDetails, JitsiEmbed};

type Listener = SendWrapper<Closure<dyn FnMut(JsValue)>>;

#[component]
pub fn JitsiRoom(call: CallDetails) -> impl IntoView {
    let consent = Consent::for_meeting(call.meeting_id.clone());
    let host = NodeRef::<Div>::new();
    let problem = RwSignal::new(None::<String>);
    let attempt = RwSignal::new(0u32);
    let api = CallHandle::<JitsiMeetExternalApi>::default();
    let on_close = StoredValue::new(None::<Listener>);
    let navigate = use_navigate();
    let embed = JitsiEmbed::from_join_url(&call.join_url);

    let live = api.clone();
    Effect::new(move || {
        attempt.track();
        let Some(host) = host.get() else { return };
        problem.set(None);
        let Some(embed) = embed.clone() else {
            problem.set(Some("The meeting's address is not a Jitsi room".into()));
            return;
        };
        let (navigate, api) = (navigate.clone(), live.clone());
        spawn_local(async move {
            if let Err(error) = load_script_once(&embed.script_url, JITSI_GLOBAL).await {
                problem.set(Some(error));
                return;
            }
            dispose(&api);
            let close = Closure::<dyn FnMut(JsValue)>::new(move |_| navigate("/", Default::default()));
            match open(&host, &embed, &close) {
                Ok(call) => {
                    if let Some(old) = api.set(call) {
                        old.dispose();
                    }
                    on_close.set_value(Some(SendWrapper::new(close)));
                }
                Err(error) => problem.set(Some(error)),
            }
        });
    });
    on_cleanup(move || dispose(&api));

    view! {
        <div class="call jitsi-call" node_ref=host></div>
        <CallConsent consent call/>
        <CallProblem title="The call could not start" problem attempt/>
    }
}

/// Leaves the conference and removes its iframe, once.
fn dispose(api: &CallHandle<JitsiMeetExternalApi>) {
    if let Some(call) = api.take() {
        call.dispose();
    }
}

/// Starts Jitsi Meet in `host`; `on_close` runs when the participant hangs up.
fn open(
    host: &web_sys::HtmlDivElement,
    embed: &JitsiEmbed,
    on_close: &Closure<dyn FnMut(JsValue)>,
) -> Result<JitsiMeetExternalApi, String> {
    host.set_inner_html("");
    let mut options = vec![
        ("roomName", JsValue::from_str(&embed.room_name)),
        ("parentNode", host.into()),
        ("width", JsValue::from_str("100%")),
        ("height", JsValue::from_str("100%")),
    ];
    if let Some(jwt) = &embed.jwt {
        options.push(("jwt", JsValue::from_str(jwt)));
    }
    let call = JitsiMeetExternalApi::new(&embed.domain, &js_object(&options))
        .map_err(|_| "The Jitsi call could not be placed on the page".to_owned())?;
    call.add_listener("readyToClose", on_close.as_ref().unchecked_ref());
    Ok(call)
}
