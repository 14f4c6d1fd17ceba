use wasm_bindgen_futures::JsFuture;

pub async fn sleep_ms(millis: i32) {
    let done = js_sys::Promise::new(&mut |resolve, _| {
        if let Some(window) = web_sys::window() {
            let _ = window.set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, millis);
        }
    });
    let _ = JsFuture::from(done).await;
}

/// Milliseconds since the epoch by the browser's clock.
pub fn now_ms() -> f64 {
    js_sys::Date::now()
}
