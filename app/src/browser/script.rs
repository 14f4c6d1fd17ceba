use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;

/// Loads a classic script once per page and waits for it; `global` is the
/// name it defines on `window`, which tells whether it is already there.
pub async fn load_script_once(src: &str, global: &str) -> Result<(), String> {
    let window = web_sys::window().ok_or("no window")?;
    if js_sys::Reflect::has(&window, &JsValue::from_str(global)).unwrap_or(false) {
        return Ok(());
    }
    let document = window.document().ok_or("no document")?;
    let script: web_sys::HtmlScriptElement = document
        .create_element("script")
        .map_err(|_| "cannot create a script element")?
        .unchecked_into();
    script.set_src(src);
    let loaded = js_sys::Promise::new(&mut |resolve, reject| {
        script.set_onload(Some(&resolve));
        script.set_onerror(Some(&reject));
    });
    document
        .head()
        .ok_or("no head")?
        .append_child(&script)
        .map_err(|_| "cannot add the script")?;
    JsFuture::from(loaded)
        .await
        .map(|_| ())
        .map_err(|_| format!("Could not load {src}. Check your connection and try again."))
}
