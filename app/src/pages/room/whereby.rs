//! A Whereby call: the `<whereby-embed>` element from Whereby's browser SDK.

use leptos::html::Div;
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::hooks::use_navigate;
use send_wrapper::SendWrapper;
use wasm_bindgen::prelude::*;

use super::consent::{CallConsent, Consent};
use super::notice::CallProblem;
use crate::browser::script::load_script_once;
use crate::types::CallDetails;

const WHEREBY_SCRIPT: &str = "/vendor/whereby-embed.js";
/// The SDK's script defines `window.whereby` as it registers the element.
const WHEREBY_GLOBAL: &str = "whereby";

#[component]
pub fn WherebyRoom(call: CallDetails) -> impl IntoView {
    let consent = Consent::for_meeting(call.meeting_id.clone());
    let host = NodeRef::<Div>::new();
    let problem = RwSignal::new(None::<String>);
    let attempt = RwSignal::new(0u32);
    let on_leave = StoredValue::new(None::<SendWrapper<Closure<dyn FnMut(JsValue)>>>);
    let navigate = use_navigate();
    // The server gives the room's owner the host URL.
    let url = call.join_url.clone();

    Effect::new(move || {
        attempt.track();
        let Some(host) = host.get() else { return };
        problem.set(None);
        let (url, navigate) = (url.clone(), navigate.clone());
        spawn_local(async move {
            if let Err(error) = load_script_once(WHEREBY_SCRIPT, WHEREBY_GLOBAL).await {
                problem.set(Some(error));
                return;
            }
            let leave = Closure::<dyn FnMut(JsValue)>::new(move |_| navigate("/", Default::default()));
            match embed(&host, &url, &leave) {
                Ok(()) => on_leave.set_value(Some(SendWrapper::new(leave))),
                Err(error) => problem.set(Some(error)),
            }
        });
    });

    view! {
        <div class="call whereby-call" node_ref=host></div>
        <CallConsent consent call/>
        <CallProblem title="The call could not start" problem attempt/>
    }
}

/// Puts a fresh `<whereby-embed room=…>` in `host`, listening for `leave`.
fn embed(
    host: &web_sys::HtmlDivElement,
    url: &str,
    on_leave: &Closure<dyn FnMut(JsValue)>,
) -> Result<(), String> {
    let fail = |_| "The Whereby call could not be placed on the page".to_owned();
    let document = web_sys::window()
        .and_then(|w| w.document())
        .ok_or("no document")?;
    let element = document.create_element("whereby-embed").map_err(fail)?;
    element.set_attribute("room", url).map_err(fail)?;
    element.set_attribute("class", "whereby-embed").map_err(fail)?;
    element
        .add_event_listener_with_callback("leave", on_leave.as_ref().unchecked_ref())
        .map_err(fail)?;
    host.set_inner_html("");
    host.append_child(&element).map_err(fail)?;
    Ok(())
}
