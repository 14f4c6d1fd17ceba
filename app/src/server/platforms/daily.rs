use std::time::Duration;

use async_trait::async_trait;
use axum::http::HeaderMap;
use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use chrono::{DateTime, Utc};
use hmac::Mac;
use reqwest::Method;
use serde::Deserialize;
use serde_json::{json, Value};

use super::http::{ApiClient, Retry};
use super::signature::{check_timestamp, mac_over, SignatureError};
use super::{JoinAs, MeetingData, MeetingRequest, PlatformError, SessionData, VideoPlatform};
use crate::server::secret::Secret;
use crate::server::settings::DailySettings;
use crate::types::{Meeting, Platform, RecordingType};

/// Daily.co: a new Daily room per meeting, meeting tokens for signed-in
/// participants, recordings started over REST.
pub struct DailyClient {
    api: ApiClient,
    webhook_secret: Option<Secret>,
    recordings_bucket: Option<Value>,
}

#[derive(Deserialize)]
struct DailyRoom {
    id: String,
    name: String,
    url: String,
}

#[derive(Deserialize)]
struct Presence {
    #[serde(default)]
    data: Vec<PresentParticipant>,
}

#[derive(Deserialize)]
struct PresentParticipant {
    id: String,
    #[serde(rename = "joinTime", default)]
    join_time: Option<String>,
    #[serde(rename = "userId", default)]
    user_id: Option<String>,
    #[serde(rename = "userName", default)]
    user_name: Option<String>,
}

/// The Daily webhook of our domain, as Daily reports it.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct DailyWebhook {
    pub uuid: String,
    pub url: String,
    #[serde(default)]
    pub state: Option<String>,
    #[serde(default, rename = "eventTypes")]
    pub event_types: Vec<String>,
}

/// The Daily events `POST /v1/daily/webhook` handles.
pub const HANDLED_EVENT_TYPES: &[&str] = &[
    "meeting.started",
    "meeting.ended",
    "participant.joined",
    "participant.left",
    "recording.started",
    "recording.ready-to-download",
    "recording.error",
];

/// Daily's answer to a recording start.
#[derive(Debug, Clone, PartialEq)]
pub enum RecordingStart {
    Started(Value),
    /// The instance was already recording ("has an active stream").
    AlreadyActive,
}

impl DailyClient {
    pub fn from_settings(settings: &DailySettings, timeout: Duration) -> Result<Self, PlatformError> {
        let api_key = settings.api_key.clone().ok_or_else(|| {
            PlatformError::NotConfigured("Daily is not configured: set DAILY_API_KEY (and DAILY_WEBHOOK_SECRET to receive its webhooks)".into())
        })?;
        let recordings_bucket = settings.s3_bucket.as_ref().map(|bucket| {
            let mut value = json!({
                "bucket_name": bucket,
                "bucket_region": settings.s3_region,
                "allow_api_access": true,
            });
            if let Some(role) = &settings.role_arn {
                value["assume_role_arn"] = json!(role);
            }
            value
        });
        Ok(DailyClient {
            api: ApiClient::new(Platform::Daily, &settings.api_url, Some(api_key), timeout),
            webhook_secret: settings.webhook_secret.clone(),
            recordings_bucket,
        })
    }

    /// `{room}-{UTC yyyymmddHHMMSS}-{6 random hex}`: Daily's alphabet, at most
    /// 64 + 22 characters, distinct even for meetings made in the same second.
    pub fn room_name_for(room_name: &str, now: DateTime<Utc>) -> String {
        let suffix = &uuid::Uuid::new_v4().simple().to_string()[..6];
        format!("{room_name}-{}-{suffix}", now.format("%Y%m%d%H%M%S"))
    }

    /// A meeting token bound to one room, expiring with the meeting.
    pub async fn meeting_token(
        &self,
        room_name: &str,
        who: &JoinAs,
        expires: DateTime<Utc>,
    ) -> Result<String, PlatformError> {
        #[derive(Deserialize)]
        struct Token {
            token: String,
        }
        let body = json!({ "properties": {
            "room_name": room_name,
            "user_id": who.user_id,
            "is_owner": who.is_owner,
            "enable_recording_ui": who.recording_ui,
            "exp": expires.timestamp(),
            "eject_at_token_exp": false,
        }});
        let token: Token = self
            .api
            .json(Method::POST, "/meeting-tokens", Some(&body), Retry::RateLimited)
            .await?;
        Ok(token.token)
    }

    pub async fn start_recording(
        &self,
        room_name: &str,
        kind: &str,
        instance_id: &str,
    ) -> Result<RecordingStart, PlatformError> {
        let path = format!("/rooms/{room_name}/recordings/start");
        let body = json!({ "type": kind, "instanceId": instance_id });
        match self
            .api
            .json::<Value>(Method::POST, &path, Some(&body), Retry::RateLimited)
            .await
        {
            Ok(result) => Ok(RecordingStart::Started(result)),
            Err(PlatformError::Upstream { message, .. }) if message.contains("has an active stream") => {
                Ok(RecordingStart::AlreadyActive)
            }
            Err(error) => Err(error),
        }
    }
}

impl DailyClient {
    /// Points the domain's webhook at `url` with our secret and event types:
    /// updates the existing one (Daily allows one per domain; an update also
    /// re-activates a FAILED hook) or creates it. Daily checks the URL answers.
    /// A fresh signed download URL for a finished recording (never stored:
    /// Daily's links expire).
    pub async fn recording_download_link(&self, recording_id: &str) -> Result<String, PlatformError> {
        #[derive(Deserialize)]
        struct AccessLink {
            download_link: String,
        }
        let path = format!("/recordings/{recording_id}/access-link");
        let link: AccessLink = self
            .api
            .json(Method::GET, &path, None, Retry::RateLimitedOrServerError)
            .await?;
        Ok(link.download_link)
    }

    pub async fn ensure_webhook(&self, url: &str) -> Result<DailyWebhook, PlatformError> {
        let secret = self.webhook_secret.as_ref().ok_or_else(|| {
            PlatformError::NotConfigured("set DAILY_WEBHOOK_SECRET (base64) to sign Daily's webhooks".into())
        })?;
        let listed: Value = self
            .api
            .json(Method::GET, "/webhooks", None, Retry::RateLimitedOrServerError)
            .await?;
        let hooks: Vec<DailyWebhook> = match listed {
            Value::Array(_) => serde_json::from_value(listed),
            other => serde_json::from_value(other.get("data").cloned().unwrap_or(Value::Array(Vec::new()))),
        }
        .map_err(|error| PlatformError::BadResponse(Platform::Daily, error.to_string()))?;
        let body = json!({ "url": url, "eventTypes": HANDLED_EVENT_TYPES, "hmac": secret.expose() });
        let existing = hooks
            .iter()
            .find(|hook| hook.url == url)
            .or_else(|| hooks.first());
        let path = match existing {
            Some(hook) => format!("/webhooks/{}", hook.uuid),
            None => "/webhooks".to_owned(),
        };
        self.api
            .json(Method::POST, &path, Some(&body), Retry::RateLimited)
            .await
    }
}

#[async_trait]
impl VideoPlatform for DailyClient {
    fn platform(&self) -> Platform {
        Platform::Daily
    }

    async fn create_meeting(&self, request: &MeetingRequest) -> Result<MeetingData, PlatformError> {
        let room = &request.room;
        let mut properties = json!({
            "enable_chat": true,
            "enable_screenshare": true,
            "enable_knocking": room.is_locked,
            "start_video_off": false,
            "start_audio_off": false,
            "exp": request.end.timestamp(),
        });
        // Say which recordings the room allows rather than inherit the
        // domain's setting. Daily has no value meaning "none": such rooms
        // get no `enable_recording`, tokens without recording controls, and
        // `recordings/start` refuses them.
        match room.recording_type {
            RecordingType::Local => properties["enable_recording"] = json!("local"),
            RecordingType::Cloud => {
                properties["enable_recording"] = if room.store_video {
                    json!(["raw-tracks", "cloud"])
                } else {
                    json!("raw-tracks")
                };
                if let Some(bucket) = &self.recordings_bucket {
                    properties["recordings_bucket"] = bucket.clone();
                }
            }
            RecordingType::None => {}
        }
        let body = json!({
            "name": Self::room_name_for(&room.name, request.start),
            "privacy": if room.is_locked { "private" } else { "public" },
            "properties": properties,
        });
        let created: DailyRoom = self
            .api
            .json(Method::POST, "/rooms", Some(&body), Retry::RateLimited)
            .await?;
        Ok(MeetingData {
            meeting_id: created.id,
            room_name: created.name,
            room_url: created.url.clone(),
            host_room_url: created.url,
        })
    }

    async fn room_sessions(&self, room_name: &str) -> Result<Vec<SessionData>, PlatformError> {
        let path = format!("/rooms/{room_name}/presence");
        let presence: Presence = self
            .api
            .json(Method::GET, &path, None, Retry::RateLimitedOrServerError)
            .await?;
        Ok(presence
            .data
            .into_iter()
            .map(|participant| SessionData {
                session_id: participant.id,
                started_at: participant
                    .join_time
                    .and_then(|time| DateTime::parse_from_rfc3339(&time).ok())
                    .map(Into::into),
                ended_at: None,
                user_id: participant.user_id.filter(|id| !id.is_empty()),
                user_name: participant.user_name,
            })
            .collect())
    }

    async fn upload_logo(&self, _room_name: &str, _image: &[u8]) -> Result<bool, PlatformError> {
        Ok(false)
    }

    async fn join_url(&self, meeting: &Meeting, who: &JoinAs) -> Result<String, PlatformError> {
        if who.user_id.is_none() {
            return Ok(meeting.room_url.clone());
        }
        let token = self
            .meeting_token(&meeting.room_name, who, meeting.end_date)
            .await?;
        Ok(with_query_param(&meeting.room_url, "t", &token))
    }
}

/// Daily's signature: base64 HMAC-SHA256, keyed with the base64-decoded
/// secret, over `X-Webhook-Timestamp + "." + raw body`. Needs only the secret,
/// not API credentials.
pub fn verify_daily_signature(
    secret: Option<&Secret>,
    body: &[u8],
    headers: &HeaderMap,
    now: DateTime<Utc>,
) -> Result<(), SignatureError> {
    const SIGNATURE: &str = "X-Webhook-Signature";
    const TIMESTAMP: &str = "X-Webhook-Timestamp";
    let secret = secret.ok_or(SignatureError::NotConfigured("DAILY_WEBHOOK_SECRET"))?;
    let key = STANDARD
        .decode(secret.expose().trim())
        .map_err(|_| SignatureError::NotConfigured("DAILY_WEBHOOK_SECRET (base64)"))?;
    let header = |name: &'static str| {
        headers
            .get(name)
            .ok_or(SignatureError::MissingHeader(name))?
            .to_str()
            .map_err(|_| SignatureError::Malformed(name))
    };
    let signature = STANDARD
        .decode(header(SIGNATURE)?.trim())
        .map_err(|_| SignatureError::Malformed(SIGNATURE))?;
    let timestamp = header(TIMESTAMP)?;
    check_timestamp(timestamp, now, TIMESTAMP)?;
    mac_over(&key, timestamp, body)
        .verify_slice(&signature)
        .map_err(|_| SignatureError::Mismatch)
}

/// `url` with `key=value` set (replacing an existing `key`), fragment kept.
pub fn with_query_param(url: &str, key: &str, value: &str) -> String {
    let (base, fragment) = match url.split_once('#') {
        Some((base, fragment)) => (base, Some(fragment)),
        None => (url, None),
    };
    let (path, query) = base.split_once('?').unwrap_or((base, ""));
    let mut pairs: Vec<String> = query
        .split('&')
        .filter(|pair| !pair.is_empty() && pair.split('=').next() != Some(key))
        .map(str::to_owned)
        .collect();
    pairs.push(format!("{key}={value}"));
    let mut out = format!("{path}?{}", pairs.join("&"));
    if let Some(fragment) = fragment {
        out.push('#');
        out.push_str(fragment);
    }
    out
}
