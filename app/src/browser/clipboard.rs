use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;

/// `navigator.clipboard.writeText(text)`, reached by name: web-sys keeps the
/// Clipboard API behind an unstable flag.
pub async fn copy_text(text: &str) -> Result<(), ()> {
    let window = web_sys::window().ok_or(())?;
    let clipboard = js_sys::Reflect::get(&window.navigator(), &"clipboard".into()).map_err(|_| ())?;
    let write: js_sys::Function = js_sys::Reflect::get(&clipboard, &"writeText".into())
        .map_err(|_| ())?
        .dyn_into()
        .map_err(|_| ())?;
    let promise: js_sys::Promise = write
        .call1(&clipboard, &JsValue::from_str(text))
        .map_err(|_| ())?
        .dyn_into()
        .map_err(|_| ())?;
    JsFuture::from(promise).await.map(|_| ()).map_err(|_| ())
}
