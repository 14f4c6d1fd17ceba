use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::{Platform, PlatformList, RecordingTrigger, RecordingType, RoomMode, WebhookEvents};

/// A room as stored. `webhook_url`, `webhook_secret` and `ics_url` carry
/// credentials: only the room's owner may see them.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))]
pub struct Room {
    pub id: String,
    pub name: String,
    pub user_id: String,
    #[serde(deserialize_with = "super::timestamp::deserialize")]
    pub created_at: DateTime<Utc>,
    pub zulip_auto_post: bool,
    pub zulip_stream: String,
    pub zulip_topic: String,
    pub is_locked: bool,
    pub room_mode: RoomMode,
    pub recording_type: RecordingType,
    pub recording_trigger: RecordingTrigger,
    pub is_shared: bool,
    pub webhook_url: Option<String>,
    pub webhook_secret: Option<String>,
    /// The events the webhook sends (every kind unless chosen).
    #[serde(default)]
    #[cfg_attr(feature = "ssr", sqlx(try_from = "Option<String>"))]
    pub webhook_events: WebhookEvents,
    pub ics_url: Option<String>,
    pub ics_fetch_interval: i64,
    pub ics_enabled: bool,
    #[serde(default, deserialize_with = "super::timestamp::deserialize_option")]
    pub ics_last_sync: Option<DateTime<Utc>>,
    pub ics_last_etag: Option<String>,
    pub platform: Platform,
    pub skip_consent: bool,
    pub email_transcript_to: Option<String>,
    pub store_video: bool,
    /// Where its meetings go, in order, when its platform is down (none:
    /// the server's `FALLBACK_VIDEO_PLATFORMS`).
    #[serde(default)]
    #[cfg_attr(feature = "ssr", sqlx(try_from = "String"))]
    pub fallback_platforms: PlatformList,
}

/// Everything a room is created with; the store assigns id and creation time.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NewRoom {
    pub name: String,
    pub user_id: String,
    pub zulip_auto_post: bool,
    pub zulip_stream: String,
    pub zulip_topic: String,
    pub is_locked: bool,
    pub room_mode: RoomMode,
    pub recording_type: RecordingType,
    pub recording_trigger: RecordingTrigger,
    pub is_shared: bool,
    pub webhook_url: Option<String>,
    pub webhook_secret: Option<String>,
    pub webhook_events: WebhookEvents,
    pub ics_url: Option<String>,
    pub ics_fetch_interval: i64,
    pub ics_enabled: bool,
    pub platform: Platform,
    pub skip_consent: bool,
    pub email_transcript_to: Option<String>,
    pub store_video: bool,
    pub fallback_platforms: PlatformList,
}

impl NewRoom {
    /// A room with Reflector's defaults for every setting.
    pub fn with_defaults(name: impl Into<String>, user_id: impl Into<String>, platform: Platform) -> Self {
        NewRoom {
            name: name.into(),
            user_id: user_id.into(),
            zulip_auto_post: false,
            zulip_stream: String::new(),
            zulip_topic: String::new(),
            is_locked: false,
            room_mode: RoomMode::Normal,
            recording_type: RecordingType::Cloud,
            recording_trigger: RecordingTrigger::AutomaticSecondParticipant,
            is_shared: false,
            webhook_url: None,
            webhook_secret: None,
            webhook_events: WebhookEvents::every(),
            ics_url: None,
            ics_fetch_interval: 300,
            ics_enabled: false,
            platform,
            skip_consent: false,
            email_transcript_to: None,
            store_video: false,
            fallback_platforms: PlatformList::default(),
        }
    }
}

impl NewRoom {
    /// The room these settings describe once stored under `id`.
    pub fn into_room(self, id: impl Into<String>, created_at: DateTime<Utc>) -> Room {
        Room {
            id: id.into(),
            name: self.name,
            user_id: self.user_id,
            created_at,
            zulip_auto_post: self.zulip_auto_post,
            zulip_stream: self.zulip_stream,
            zulip_topic: self.zulip_topic,
            is_locked: self.is_locked,
            room_mode: self.room_mode,
            recording_type: self.recording_type,
            recording_trigger: self.recording_trigger,
            is_shared: self.is_shared,
            webhook_url: self.webhook_url,
            webhook_secret: self.webhook_secret,
            webhook_events: self.webhook_events,
            ics_url: self.ics_url,
            ics_fetch_interval: self.ics_fetch_interval,
            ics_enabled: self.ics_enabled,
            ics_last_sync: None,
            ics_last_etag: None,
            platform: self.platform,
            skip_consent: self.skip_consent,
            email_transcript_to: self.email_transcript_to,
            store_video: self.store_video,
            fallback_platforms: self.fallback_platforms,
        }
    }
}
