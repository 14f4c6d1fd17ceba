use wasm_bindgen::prelude::*;

/// This page's origin (`https://rooms.example.com`), for links to our own
/// addresses that leave the page (copied links, daily-js tray icons).
pub fn origin() -> String {
    web_sys::window()
        .and_then(|window| window.location().origin().ok())
        .unwrap_or_default()
}

#[wasm_bindgen]
extern "C" {
    #[wasm_bindgen(js_namespace = console, js_name = warn)]
    pub fn console_warn(message: &str);
}
