//! Jitsi's External API (`window.JitsiMeetExternalAPI`, loaded from the
//! deployment's own `external_api.js`): the Jitsi Meet UI in an iframe.

use wasm_bindgen::prelude::*;

pub const JITSI_GLOBAL: &str = "JitsiMeetExternalAPI";

#[wasm_bindgen]
extern "C" {
    pub type JitsiMeetExternalApi;

    #[wasm_bindgen(constructor, js_class = "JitsiMeetExternalAPI", catch)]
    pub fn new(domain: &str, options: &JsValue) -> Result<JitsiMeetExternalApi, JsValue>;

    #[wasm_bindgen(method, js_name = addListener)]
    pub fn add_listener(this: &JitsiMeetExternalApi, event: &str, handler: &js_sys::Function);

    /// Removes the iframe and leaves the conference.
    #[wasm_bindgen(method)]
    pub fn dispose(this: &JitsiMeetExternalApi);
}
