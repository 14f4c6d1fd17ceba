//! livekit-client (`window.LivekitClient`, loaded from
//! `/vendor/livekit-client.js`): a LiveKit room, its participants and their
//! tracks. The page draws the call itself; LiveKit has no prebuilt UI.

use wasm_bindgen::prelude::*;

pub const LIVEKIT_SCRIPT: &str = "/vendor/livekit-client.js";
pub const LIVEKIT_GLOBAL: &str = "LivekitClient";

#[wasm_bindgen]
extern "C" {
    #[wasm_bindgen(js_namespace = LivekitClient, js_name = Room)]
    pub type LiveKitRoom;

    #[wasm_bindgen(constructor, js_namespace = LivekitClient, js_class = "Room")]
    pub fn new(options: &JsValue) -> LiveKitRoom;

    #[wasm_bindgen(method)]
    pub fn connect(this: &LiveKitRoom, url: &str, token: &str) -> js_sys::Promise;

    #[wasm_bindgen(method)]
    pub fn disconnect(this: &LiveKitRoom) -> js_sys::Promise;

    #[wasm_bindgen(method)]
    pub fn on(this: &LiveKitRoom, event: &str, handler: &js_sys::Function);

    #[wasm_bindgen(method, getter, js_name = localParticipant)]
    pub fn local_participant(this: &LiveKitRoom) -> Participant;

    pub type Participant;

    #[wasm_bindgen(method, getter)]
    pub fn identity(this: &Participant) -> String;

    #[wasm_bindgen(method, getter)]
    pub fn name(this: &Participant) -> Option<String>;

    #[wasm_bindgen(method, js_name = setMicrophoneEnabled)]
    pub fn set_microphone_enabled(this: &Participant, enabled: bool) -> js_sys::Promise;

    #[wasm_bindgen(method, js_name = setCameraEnabled)]
    pub fn set_camera_enabled(this: &Participant, enabled: bool) -> js_sys::Promise;

    pub type Track;

    /// `"audio"` or `"video"`.
    #[wasm_bindgen(method, getter)]
    pub fn kind(this: &Track) -> String;

    /// A new `<video>`/`<audio>` element playing the track.
    #[wasm_bindgen(method)]
    pub fn attach(this: &Track) -> web_sys::HtmlMediaElement;

    /// Stops playing the track in every element it was attached to.
    #[wasm_bindgen(method)]
    pub fn detach(this: &Track) -> js_sys::Array;

    pub type TrackPublication;

    #[wasm_bindgen(method, getter)]
    pub fn track(this: &TrackPublication) -> Option<Track>;
}

/// The LiveKit server and the token, from the join URL the server made
/// (`wss://host?room=…&token=…`).
pub fn server_and_token(join_url: &str) -> Option<(String, String)> {
    let (server, query) = join_url.split_once('?')?;
    let token = query.split('&').find_map(|pair| pair.strip_prefix("token="))?;
    Some((server.to_owned(), token.to_owned()))
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_join_url_gives_the_server_and_the_token() {
        assert_eq!(
            super::server_and_token("wss://lk.example.org?room=team-1&token=a.b.c"),
            Some(("wss://lk.example.org".into(), "a.b.c".into()))
        );
        assert_eq!(super::server_and_token("wss://lk.example.org?room=team-1"), None);
    }
}
