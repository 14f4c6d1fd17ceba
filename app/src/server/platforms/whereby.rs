use std::time::Duration;

use async_trait::async_trait;
use axum::http::HeaderMap;
use chrono::{DateTime, Utc};
use reqwest::Method;
use serde::Deserialize;
use serde_json::{json, Value};

use super::http::{ApiClient, Retry};
use super::signature::{verify_timestamped_header, SignatureEncoding, SignatureError};
use super::{JoinAs, MeetingData, MeetingRequest, PlatformError, SessionData, VideoPlatform};
use crate::server::secret::Secret;
use crate::server::settings::WherebySettings;
use crate::types::{Meeting, Platform, RecordingType};

/// Whereby: a transient Whereby room per meeting, with a host URL for the owner.
pub struct WherebyClient {
    api: ApiClient,
    recording_destination: Value,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct CreatedMeeting {
    meeting_id: String,
    #[serde(default)]
    room_name: Option<String>,
    room_url: String,
    #[serde(default)]
    host_room_url: Option<String>,
}

#[derive(Deserialize)]
struct RoomSessions {
    #[serde(default)]
    results: Vec<RoomSession>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct RoomSession {
    room_session_id: String,
    #[serde(default)]
    started_at: Option<DateTime<Utc>>,
    #[serde(default)]
    ended_at: Option<DateTime<Utc>>,
}

impl WherebyClient {
    pub fn from_settings(settings: &WherebySettings, timeout: Duration) -> Result<Self, PlatformError> {
        let api_key = settings.api_key.clone().ok_or_else(|| {
            PlatformError::NotConfigured("Whereby is not configured: set WHEREBY_API_KEY (and WHEREBY_WEBHOOK_SECRET to receive its webhooks)".into())
        })?;
        // Our own bucket when configured; otherwise Whereby keeps the files.
        let recording_destination = match (
            &settings.s3_bucket,
            &settings.s3_access_key_id,
            &settings.s3_access_key_secret,
        ) {
            (Some(bucket), Some(key_id), Some(secret)) => json!({
                "provider": "s3",
                "bucket": bucket,
                "accessKeyId": key_id,
                "accessKeySecret": secret.expose(),
                "fileFormat": "mp4",
            }),
            _ => json!({ "provider": "whereby", "fileFormat": "mp4" }),
        };
        Ok(WherebyClient {
            api: ApiClient::new(Platform::Whereby, &settings.api_url, Some(api_key), timeout),
            recording_destination,
        })
    }

    /// A fresh download URL for a recording Whereby keeps on its own storage.
    pub async fn recording_download_link(&self, recording_id: &str) -> Result<String, PlatformError> {
        #[derive(Deserialize)]
        #[serde(rename_all = "camelCase")]
        struct AccessLink {
            access_link: String,
        }
        let path = format!("/recordings/{recording_id}/access-link");
        let link: AccessLink = self
            .api
            .json(Method::GET, &path, None, Retry::RateLimitedOrServerError)
            .await?;
        Ok(link.access_link)
    }

    fn recording(&self, request: &MeetingRequest) -> Value {
        let room = &request.room;
        match room.recording_type {
            RecordingType::Cloud => json!({
                "type": "cloud",
                "destination": self.recording_destination,
                "startTrigger": room.recording_trigger,
            }),
            other => json!({ "type": other, "destination": null, "startTrigger": null }),
        }
    }
}

#[async_trait]
impl VideoPlatform for WherebyClient {
    fn platform(&self) -> Platform {
        Platform::Whereby
    }

    async fn create_meeting(&self, request: &MeetingRequest) -> Result<MeetingData, PlatformError> {
        let room = &request.room;
        let body = json!({
            "isLocked": room.is_locked,
            "roomNamePrefix": format!("{}-", room.name),
            "roomNamePattern": "uuid",
            "roomMode": room.room_mode,
            "endDate": request.end.to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
            "fields": ["hostRoomUrl"],
            "recording": self.recording(request),
        });
        let created: CreatedMeeting = self
            .api
            .json(Method::POST, "/meetings", Some(&body), Retry::RateLimited)
            .await?;
        let room_name = created.room_name.unwrap_or_else(|| {
            created
                .room_url
                .rsplit('/')
                .next()
                .map(|name| format!("/{name}"))
                .unwrap_or_default()
        });
        Ok(MeetingData {
            meeting_id: created.meeting_id,
            room_name,
            host_room_url: created.host_room_url.unwrap_or_else(|| created.room_url.clone()),
            room_url: created.room_url,
        })
    }

    async fn room_sessions(&self, room_name: &str) -> Result<Vec<SessionData>, PlatformError> {
        let response = self
            .api
            .send(Retry::RateLimitedOrServerError, || {
                self.api
                    .request(Method::GET, "/insights/room-sessions")
                    .query(&[("roomName", room_name)])
            })
            .await?;
        let sessions: RoomSessions = response
            .json()
            .await
            .map_err(|error| PlatformError::BadResponse(Platform::Whereby, error.to_string()))?;
        Ok(sessions
            .results
            .into_iter()
            .map(|session| SessionData {
                session_id: session.room_session_id,
                started_at: session.started_at,
                ended_at: session.ended_at,
                user_id: None,
                user_name: None,
            })
            .collect())
    }

    async fn upload_logo(&self, room_name: &str, image: &[u8]) -> Result<bool, PlatformError> {
        let path = format!("/rooms/{}/theme/logo", room_name.trim_start_matches('/'));
        self.api
            .send(Retry::RateLimited, || {
                let part = reqwest::multipart::Part::bytes(image.to_vec())
                    .file_name("logo.png")
                    .mime_str("image/png")
                    .expect("valid mime");
                self.api
                    .request(Method::PUT, &path)
                    .multipart(reqwest::multipart::Form::new().part("image", part))
            })
            .await?;
        Ok(true)
    }

    async fn join_url(&self, meeting: &Meeting, who: &JoinAs) -> Result<String, PlatformError> {
        Ok(if who.is_owner {
            meeting.host_room_url.clone()
        } else {
            meeting.room_url.clone()
        })
    }
}

/// Whereby's signature: `Whereby-Signature: t=<unix s>,v1=<hex>`, HMAC-SHA256
/// keyed with the secret as text, over `t + "." + raw body`; several `v1`
/// entries are accepted (secret rotation).
pub fn verify_whereby_signature(
    secret: Option<&Secret>,
    body: &[u8],
    headers: &HeaderMap,
    now: DateTime<Utc>,
) -> Result<(), SignatureError> {
    let secret = secret.ok_or(SignatureError::NotConfigured("WHEREBY_WEBHOOK_SECRET"))?;
    verify_timestamped_header(
        secret.expose().as_bytes(),
        headers,
        "Whereby-Signature",
        SignatureEncoding::Hex,
        body,
        now,
    )
}
