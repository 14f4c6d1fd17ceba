//! daily-js (`window.DailyIframe`, loaded from `/vendor/daily.js`): the
//! prebuilt call UI in an iframe.

use wasm_bindgen::prelude::*;

pub const DAILY_SCRIPT: &str = "/vendor/daily.js";
pub const DAILY_GLOBAL: &str = "DailyIframe";

#[wasm_bindgen]
extern "C" {
    pub type DailyCall;

    #[wasm_bindgen(js_namespace = DailyIframe, js_name = createFrame, catch)]
    pub fn create_frame(parent: &web_sys::HtmlElement, properties: &JsValue) -> Result<DailyCall, JsValue>;

    /// The live call instance, if any (two at once throw).
    #[wasm_bindgen(js_namespace = DailyIframe, js_name = getCallInstance)]
    pub fn existing_call() -> Option<DailyCall>;

    #[wasm_bindgen(method, catch)]
    pub fn join(this: &DailyCall, properties: &JsValue) -> Result<js_sys::Promise, JsValue>;

    #[wasm_bindgen(method)]
    pub fn on(this: &DailyCall, event: &str, handler: &js_sys::Function);

    #[wasm_bindgen(method, js_name = updateCustomTrayButtons, catch)]
    pub fn update_custom_tray_buttons(this: &DailyCall, buttons: &JsValue) -> Result<(), JsValue>;

    /// `"joined-meeting"` once in the call; tray buttons change only then.
    #[wasm_bindgen(method, js_name = meetingState)]
    pub fn meeting_state(this: &DailyCall) -> String;

    #[wasm_bindgen(method)]
    pub fn destroy(this: &DailyCall) -> js_sys::Promise;

    #[wasm_bindgen(method, js_name = isDestroyed)]
    pub fn is_destroyed(this: &DailyCall) -> bool;
}

/// A plain JS object, for daily-js options (built directly rather than
/// through serde: the room page's bundle stays smaller).
pub fn js_object(entries: &[(&str, JsValue)]) -> JsValue {
    let object = js_sys::Object::new();
    for (key, value) in entries {
        let _ = js_sys::Reflect::set(&object, &JsValue::from_str(key), value);
    }
    object.into()
}

/// A string field of an event object (`event.button_id`, `event.errorMsg`).
pub fn event_text(event: &JsValue, field: &str) -> Option<String> {
    js_sys::Reflect::get(event, &JsValue::from_str(field))
        .ok()
        .and_then(|value| value.as_string())
}
