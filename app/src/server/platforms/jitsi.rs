//! Jitsi Meet: a self-hosted deployment with token authentication (HS256
//! with its app secret) or 8x8's JaaS (RS256 with an API key). Jitsi has no
//! API to create rooms: a room exists once someone opens it, and only with
//! a token we signed, so creating a meeting is choosing a name no one can
//! guess and joining is signing a token for it, passed as `?jwt=`.

use async_trait::async_trait;
use axum::http::HeaderMap;
use chrono::{DateTime, Utc};
use jsonwebtoken::{encode, Algorithm, EncodingKey, Header};
use serde::{Deserialize, Serialize};

use super::signature::{verify_timestamped_header, SignatureEncoding, SignatureError};
use super::{JoinAs, MeetingData, MeetingRequest, PlatformError, SessionData, VideoPlatform};
use crate::server::secret::Secret;
use crate::server::settings::JitsiSettings;
use crate::types::{Meeting, Platform, RecordingType};

pub struct JitsiClient {
    deployment: Deployment,
    key: EncodingKey,
}

enum Deployment {
    SelfHosted {
        url: String,
        app_id: String,
        audience: String,
        /// The deployment's domain: the tokens' subject.
        domain: String,
    },
    Jaas {
        url: String,
        app_id: String,
        key_id: String,
    },
}

/// A Jitsi token's claims (Prosody's token authentication, JaaS's format).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct JitsiClaims {
    pub iss: String,
    pub aud: String,
    pub sub: String,
    pub room: String,
    pub iat: i64,
    pub nbf: i64,
    pub exp: i64,
    /// Read by deployments that grant moderation from the token.
    pub moderator: bool,
    pub context: JitsiContext,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct JitsiContext {
    pub user: JitsiUser,
    /// JaaS only: what the participant may use.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub features: Option<JaasFeatures>,
}

/// Jitsi rejects `null` in the user context: absent values are left out.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct JitsiUser {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
    /// `"true"` or `"false"`, a string as JaaS documents it.
    pub moderator: String,
    /// `owner` or `member` (Prosody's token affiliation module).
    pub affiliation: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct JaasFeatures {
    pub recording: String,
    pub livestreaming: String,
    pub transcription: String,
    #[serde(rename = "outbound-call")]
    pub outbound_call: String,
}

impl JitsiClient {
    pub fn from_settings(settings: &JitsiSettings) -> Result<Self, PlatformError> {
        match settings {
            JitsiSettings::None => Err(PlatformError::NotConfigured(
                "Jitsi is not configured: set JITSI_URL, JITSI_APP_ID and JITSI_APP_SECRET, or JAAS_APP_ID, JAAS_KEY_ID and JAAS_PRIVATE_KEY".into(),
            )),
            JitsiSettings::SelfHosted {
                url,
                app_id,
                app_secret,
                audience,
            } => Ok(JitsiClient {
                deployment: Deployment::SelfHosted {
                    domain: domain_of(url),
                    url: url.clone(),
                    app_id: app_id.clone(),
                    audience: audience.clone(),
                },
                key: EncodingKey::from_secret(app_secret.expose().as_bytes()),
            }),
            JitsiSettings::Jaas {
                url,
                app_id,
                key_id,
                private_key,
                ..
            } => Ok(JitsiClient {
                key: EncodingKey::from_rsa_pem(private_key.expose().as_bytes()).map_err(|_| {
                    PlatformError::NotConfigured(
                        "JAAS_PRIVATE_KEY: not an RSA private key in PEM form".into(),
                    )
                })?,
                deployment: Deployment::Jaas {
                    url: url.clone(),
                    app_id: app_id.clone(),
                    key_id: key_id.clone(),
                },
            }),
        }
    }

    /// The address of a room: the deployment's, under the app's tenant on JaaS.
    fn room_url(&self, room_name: &str) -> String {
        match &self.deployment {
            Deployment::SelfHosted { url, .. } => format!("{url}/{room_name}"),
            Deployment::Jaas { url, app_id, .. } => format!("{url}/{app_id}/{room_name}"),
        }
    }

    /// The token `who` joins `meeting` with, valid until the meeting ends.
    pub fn token(&self, meeting: &Meeting, who: &JoinAs) -> Result<String, PlatformError> {
        let now = Utc::now().timestamp();
        let flag = |on: bool| if on { "true" } else { "false" }.to_owned();
        let user = JitsiUser {
            id: who.user_id.clone(),
            name: who.name.clone(),
            email: who.email.clone(),
            moderator: flag(who.is_owner),
            affiliation: if who.is_owner { "owner" } else { "member" }.to_owned(),
        };
        let (iss, aud, sub, features, header) = match &self.deployment {
            Deployment::SelfHosted {
                app_id,
                audience,
                domain,
                ..
            } => (
                app_id.clone(),
                audience.clone(),
                domain.clone(),
                None,
                Header::new(Algorithm::HS256),
            ),
            Deployment::Jaas { app_id, key_id, .. } => {
                let mut header = Header::new(Algorithm::RS256);
                header.kid = Some(key_id.clone());
                let features = JaasFeatures {
                    recording: flag(who.is_owner && meeting.recording_type == RecordingType::Cloud),
                    livestreaming: flag(false),
                    transcription: flag(false),
                    outbound_call: flag(false),
                };
                (
                    "chat".to_owned(),
                    "jitsi".to_owned(),
                    app_id.clone(),
                    Some(features),
                    header,
                )
            }
        };
        let claims = JitsiClaims {
            iss,
            aud,
            sub,
            room: meeting.room_name.clone(),
            iat: now,
            // A little slack for participants' clocks.
            nbf: now - 30,
            exp: meeting.end_date.timestamp().max(now + 60),
            moderator: who.is_owner,
            context: JitsiContext { user, features },
        };
        encode(&header, &claims, &self.key)
            .map_err(|error| PlatformError::NotConfigured(format!("Jitsi token: {error}")))
    }
}

/// `https://meet.example.org:8443/…` → `meet.example.org`.
fn domain_of(url: &str) -> String {
    let rest = url.split_once("://").map_or(url, |(_, rest)| rest);
    let host = rest.split(['/', '?', '#']).next().unwrap_or(rest);
    host.rsplit_once(':').map_or(host, |(name, _)| name).to_owned()
}

#[async_trait]
impl VideoPlatform for JitsiClient {
    fn platform(&self) -> Platform {
        Platform::Jitsi
    }

    async fn create_meeting(&self, request: &MeetingRequest) -> Result<MeetingData, PlatformError> {
        let id = uuid::Uuid::new_v4().simple().to_string();
        // Unguessable, though only our tokens open it anyway.
        let room_name = format!("{}-{}", request.room.name, &id[..12]).to_lowercase();
        let room_url = self.room_url(&room_name);
        Ok(MeetingData {
            meeting_id: id,
            room_name,
            host_room_url: room_url.clone(),
            room_url,
        })
    }

    async fn room_sessions(&self, _room_name: &str) -> Result<Vec<SessionData>, PlatformError> {
        Err(PlatformError::Unsupported(
            Platform::Jitsi,
            "asking who is in a room (Jitsi has no such API)",
        ))
    }

    async fn upload_logo(&self, _room_name: &str, _image: &[u8]) -> Result<bool, PlatformError> {
        Ok(false)
    }

    async fn join_url(&self, meeting: &Meeting, who: &JoinAs) -> Result<String, PlatformError> {
        let token = self.token(meeting, who)?;
        Ok(super::with_query_param(&meeting.room_url, "jwt", &token))
    }
}

/// JaaS's signature: `X-Jaas-Signature: t=<unix s>,v1=<base64>`, HMAC-SHA256
/// keyed with the endpoint's secret over `t + "." + raw body`.
pub fn verify_jaas_signature(
    secret: Option<&Secret>,
    body: &[u8],
    headers: &HeaderMap,
    now: DateTime<Utc>,
) -> Result<(), SignatureError> {
    let secret = secret.ok_or(SignatureError::NotConfigured("JAAS_WEBHOOK_SECRET"))?;
    verify_timestamped_header(
        secret.expose().as_bytes(),
        headers,
        "X-Jaas-Signature",
        SignatureEncoding::Base64,
        body,
        now,
    )
}

#[cfg(test)]
#[path = "jitsi_tests.rs"]
mod tests;
