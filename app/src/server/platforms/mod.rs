//! The video platform abstraction: one trait, one file per platform, one
//! registry. Adding a platform is a new file implementing [`VideoPlatform`]
//! plus one line in `registry.rs`.

mod daily;
mod error;
mod health;
mod http;
mod jitsi;
mod livekit;
mod livekit_signature;
mod mock;
mod models;
mod registry;
mod selection;
pub(crate) mod signature;
mod whereby;

#[cfg(test)]
mod daily_tests;
#[cfg(test)]
mod tests_support;
#[cfg(test)]
mod whereby_tests;

use async_trait::async_trait;

pub use daily::{
    verify_daily_signature, with_query_param, DailyClient, DailyWebhook, RecordingStart, HANDLED_EVENT_TYPES,
};
pub use error::PlatformError;
pub use health::{is_outage, PlatformHealth};
pub use jitsi::{verify_jaas_signature, JitsiClaims, JitsiClient};
pub use livekit::{int64 as livekit_int64, LiveKitClaims, LiveKitClient, VideoGrant};
pub use livekit_signature::verify_livekit_webhook;
pub use models::{JoinAs, MeetingData, MeetingRequest, SessionData};
pub use registry::PlatformRegistry;
pub use selection::platform_for_room;
pub use signature::SignatureError;
pub use whereby::{verify_whereby_signature, WherebyClient};

use crate::types::{Meeting, Platform};

#[async_trait]
pub trait VideoPlatform: Send + Sync {
    fn platform(&self) -> Platform;

    /// Creates the platform-side room for one meeting of `request.room`.
    async fn create_meeting(&self, request: &MeetingRequest) -> Result<MeetingData, PlatformError>;

    /// The platform's sessions of a platform room (`ended_at` = `None`: still on).
    async fn room_sessions(&self, room_name: &str) -> Result<Vec<SessionData>, PlatformError>;

    /// Sets the platform room's logo; `Ok(false)` where the platform has no such feature.
    async fn upload_logo(&self, room_name: &str, image: &[u8]) -> Result<bool, PlatformError>;

    /// The URL `who` opens to join `meeting`.
    async fn join_url(&self, meeting: &Meeting, who: &JoinAs) -> Result<String, PlatformError>;
}
