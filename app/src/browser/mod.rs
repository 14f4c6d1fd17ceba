//! Browser-only helpers for the room page: loading the platforms' SDKs,
//! daily-js bindings, timers, storage and the clipboard. They compile into the
//! server too, where nothing calls them (they run from effects and events).

pub mod call_handle;
pub mod clipboard;
pub mod daily;
pub mod focus;
pub mod jitsi;
pub mod livekit;
pub mod local_storage;
pub mod local_time;
pub mod page;
pub mod script;
#[cfg(feature = "hydrate")]
mod split_slack;
pub mod timer;
