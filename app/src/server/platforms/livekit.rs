//! LiveKit (and OpenVidu 3, which speaks the same API): rooms made over
//! Twirp (`/twirp/livekit.RoomService/…`), each call carrying a token we
//! sign for it; participants join with an access token we mint (no call);
//! cloud recording is LiveKit's automatic track egress into a bucket.

use std::time::Duration;

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use jsonwebtoken::{encode, Algorithm, EncodingKey, Header};
use reqwest::Method;
use serde::{Deserialize, Deserializer, Serialize};
use serde_json::{json, Value};

use super::http::{ApiClient, Retry};
use super::{JoinAs, MeetingData, MeetingRequest, PlatformError, SessionData, VideoPlatform};
use crate::server::settings::LiveKitSettings;
use crate::types::{Meeting, Platform, RecordingType, RoomMode};

const ROOM_SERVICE: &str = "/twirp/livekit.RoomService";
/// How long a token for one server API call lives.
const CALL_TOKEN_SECONDS: i64 = 60;

pub struct LiveKitClient {
    api: ApiClient,
    settings: LiveKitSettings,
    key: EncodingKey,
}

/// A LiveKit token's claims (access tokens, API call tokens and the
/// webhook's signature token alike).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct LiveKitClaims {
    pub iss: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sub: Option<String>,
    #[serde(default)]
    pub iat: i64,
    #[serde(default)]
    pub nbf: i64,
    pub exp: i64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub video: Option<VideoGrant>,
    /// Webhooks: base64 SHA-256 of the body.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sha256: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct VideoGrant {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub room_create: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub room_join: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub room_admin: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub room: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub can_publish: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub can_subscribe: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub can_publish_data: Option<bool>,
}

#[derive(Deserialize)]
struct CreatedRoom {
    #[serde(default)]
    sid: String,
    name: String,
}

#[derive(Deserialize)]
struct Participants {
    #[serde(default)]
    participants: Vec<Participant>,
}

#[derive(Deserialize)]
struct Participant {
    sid: String,
    #[serde(default)]
    identity: String,
    #[serde(default)]
    name: String,
    /// Unix seconds; protojson writes 64-bit numbers as strings.
    #[serde(default, alias = "joinedAt", deserialize_with = "int64")]
    joined_at: i64,
}

/// A protojson int64: a JSON string or number.
pub fn int64<'de, D: Deserializer<'de>>(deserializer: D) -> Result<i64, D::Error> {
    match Value::deserialize(deserializer)? {
        Value::Number(number) => number
            .as_i64()
            .ok_or_else(|| serde::de::Error::custom("not a 64-bit integer")),
        Value::String(text) => text.parse().map_err(serde::de::Error::custom),
        Value::Null => Ok(0),
        _ => Err(serde::de::Error::custom("expected an integer")),
    }
}

impl LiveKitClient {
    pub fn from_settings(
        settings: Option<&LiveKitSettings>,
        timeout: Duration,
    ) -> Result<Self, PlatformError> {
        let settings = settings.ok_or_else(|| {
            PlatformError::NotConfigured(
                "LiveKit is not configured: set LIVEKIT_URL, LIVEKIT_API_KEY and LIVEKIT_API_SECRET".into(),
            )
        })?;
        Ok(LiveKitClient {
            api: ApiClient::new(Platform::LiveKit, &settings.api_url, None, timeout),
            key: EncodingKey::from_secret(settings.api_secret.expose().as_bytes()),
            settings: settings.clone(),
        })
    }

    fn sign(&self, claims: &LiveKitClaims) -> Result<String, PlatformError> {
        encode(&Header::new(Algorithm::HS256), claims, &self.key)
            .map_err(|error| PlatformError::NotConfigured(format!("LiveKit token: {error}")))
    }

    /// A short-lived token for one server API call with `grant`.
    fn call_token(&self, grant: VideoGrant) -> Result<String, PlatformError> {
        let now = Utc::now().timestamp();
        self.sign(&LiveKitClaims {
            iss: self.settings.api_key.clone(),
            iat: now,
            nbf: now,
            exp: now + CALL_TOKEN_SECONDS,
            video: Some(grant),
            ..LiveKitClaims::default()
        })
    }

    async fn call<T: serde::de::DeserializeOwned>(
        &self,
        method: &str,
        grant: VideoGrant,
        body: &Value,
        retry: Retry,
    ) -> Result<T, PlatformError> {
        let token = self.call_token(grant)?;
        let path = format!("{ROOM_SERVICE}/{method}");
        let response = self
            .api
            .send(retry, || {
                self.api
                    .request(Method::POST, &path)
                    .bearer_auth(&token)
                    .json(body)
            })
            .await?;
        let bytes = response
            .bytes()
            .await
            .map_err(|error| PlatformError::BadResponse(Platform::LiveKit, error.to_string()))?;
        serde_json::from_slice(&bytes)
            .map_err(|error| PlatformError::BadResponse(Platform::LiveKit, error.to_string()))
    }

    /// The access token `who` joins `meeting` with: their identity and
    /// name, this room only, admin for the room's owner, until the
    /// meeting ends.
    pub fn access_token(&self, meeting: &Meeting, who: &JoinAs) -> Result<String, PlatformError> {
        let now = Utc::now().timestamp();
        let identity = identity_for(who);
        self.sign(&LiveKitClaims {
            iss: self.settings.api_key.clone(),
            sub: Some(identity.clone()),
            iat: now,
            nbf: now - 30,
            exp: meeting.end_date.timestamp().max(now + 60),
            name: Some(
                who.name
                    .clone()
                    .filter(|name| !name.trim().is_empty())
                    .unwrap_or(identity),
            ),
            video: Some(VideoGrant {
                room_join: Some(true),
                room: Some(meeting.room_name.clone()),
                room_admin: Some(who.is_owner),
                can_publish: Some(true),
                can_subscribe: Some(true),
                can_publish_data: Some(true),
                ..VideoGrant::default()
            }),
            sha256: None,
        })
    }

    /// Every participant track recorded into the egress bucket, audio and
    /// video alike (LiveKit has no audio-only rule); video is dropped when
    /// the egress ends.
    fn track_egress(&self, room_name: &str) -> Option<Value> {
        let bucket = self.settings.egress_bucket.as_ref()?;
        Some(json!({"tracks": {
            "filepath": format!("livekit/{room_name}/{{publisher_identity}}-{{time}}"),
            "s3": {
                "access_key": bucket.access_key_id,
                "secret": bucket.secret_access_key.as_ref().map(|s| s.expose()),
                "region": bucket.region,
                "endpoint": bucket.endpoint,
                "bucket": bucket.bucket,
                "force_path_style": true,
            },
        }}))
    }
}

/// Who someone is in a room: their name made safe, or their e-mail's
/// local part, or `guest`, with a random tail (two Adas are two people).
fn identity_for(who: &JoinAs) -> String {
    let base = who
        .name
        .as_deref()
        .or(who.email.as_deref().and_then(|email| email.split('@').next()))
        .map(|name| {
            name.trim()
                .chars()
                .map(|c| {
                    if c.is_ascii_alphanumeric() || c == '-' || c == '_' {
                        c
                    } else {
                        '_'
                    }
                })
                .take(40)
                .collect::<String>()
        })
        .filter(|name| !name.is_empty())
        .unwrap_or_else(|| "guest".to_owned());
    let tail = uuid::Uuid::new_v4().simple().to_string();
    format!("{base}-{}", &tail[..6])
}

#[async_trait]
impl VideoPlatform for LiveKitClient {
    fn platform(&self) -> Platform {
        Platform::LiveKit
    }

    async fn create_meeting(&self, request: &MeetingRequest) -> Result<MeetingData, PlatformError> {
        let tail = uuid::Uuid::new_v4().simple().to_string();
        let name = format!("{}-{}", request.room.name, &tail[..12]);
        let seconds = (request.end - Utc::now()).num_seconds().clamp(300, 86_400);
        let mut body = json!({
            "name": name,
            // Kept while nobody is in it, until the meeting would end anyway.
            "empty_timeout": seconds,
            "departure_timeout": 120,
            "max_participants": match request.room.room_mode {
                RoomMode::Normal => 4,
                RoomMode::Group => 200,
            },
        });
        if request.room.recording_type == RecordingType::Cloud {
            match self.track_egress(&name) {
                Some(egress) => body["egress"] = egress,
                None => tracing::warn!(room = %request.room.name,
                    "cloud recording asked for, but LIVEKIT_STORAGE_AWS_BUCKET_NAME is not set: nothing is recorded"),
            }
        }
        let grant = VideoGrant {
            room_create: Some(true),
            ..VideoGrant::default()
        };
        let created: CreatedRoom = self.call("CreateRoom", grant, &body, Retry::RateLimited).await?;
        let room_url = super::with_query_param(&self.settings.ws_url, "room", &created.name);
        Ok(MeetingData {
            meeting_id: if created.sid.is_empty() {
                uuid::Uuid::new_v4().to_string()
            } else {
                created.sid
            },
            room_name: created.name,
            host_room_url: room_url.clone(),
            room_url,
        })
    }

    async fn room_sessions(&self, room_name: &str) -> Result<Vec<SessionData>, PlatformError> {
        let grant = VideoGrant {
            room_admin: Some(true),
            room: Some(room_name.to_owned()),
            ..VideoGrant::default()
        };
        let listed: Participants = self
            .call(
                "ListParticipants",
                grant,
                &json!({"room": room_name}),
                Retry::RateLimitedOrServerError,
            )
            .await?;
        Ok(listed
            .participants
            .into_iter()
            .map(|participant| {
                let name = if participant.name.is_empty() {
                    participant.identity.clone()
                } else {
                    participant.name
                };
                SessionData {
                    // A participant is their identity (unique per token we
                    // mint), as in webhooks and track file names.
                    session_id: if participant.identity.is_empty() {
                        participant.sid
                    } else {
                        participant.identity
                    },
                    started_at: DateTime::from_timestamp(participant.joined_at, 0)
                        .filter(|_| participant.joined_at > 0),
                    ended_at: None,
                    user_id: None,
                    user_name: Some(name),
                }
            })
            .collect())
    }

    async fn upload_logo(&self, _room_name: &str, _image: &[u8]) -> Result<bool, PlatformError> {
        Ok(false)
    }

    async fn join_url(&self, meeting: &Meeting, who: &JoinAs) -> Result<String, PlatformError> {
        let token = self.access_token(meeting, who)?;
        Ok(super::with_query_param(&meeting.room_url, "token", &token))
    }
}

#[cfg(test)]
#[path = "livekit_tests.rs"]
mod tests;
