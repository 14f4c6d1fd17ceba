use super::env_reader::EnvReader;
use super::S3Location;
use crate::server::secret::Secret;

/// A LiveKit server (or OpenVidu 3, which speaks LiveKit's API).
#[derive(Debug, Clone)]
pub struct LiveKitSettings {
    /// `LIVEKIT_URL` as the server API is called: its http(s) form.
    pub api_url: String,
    /// `LIVEKIT_URL` as browsers connect: its ws(s) form.
    pub ws_url: String,
    /// `LIVEKIT_API_KEY`: issuer of every token we sign.
    pub api_key: String,
    /// `LIVEKIT_API_SECRET`: signs tokens (HS256).
    pub api_secret: Secret,
    /// `LIVEKIT_WEBHOOK_SECRET`: what the server signs webhooks with, when
    /// not the API secret.
    pub webhook_secret: Option<Secret>,
    /// `LIVEKIT_STORAGE_AWS_*`: the bucket LiveKit's egress writes each
    /// participant's audio track to; without it nothing is recorded.
    pub egress_bucket: Option<S3Location>,
    /// `LIVEKIT_TRACKS_SETTLE_SECONDS`: how long after the meeting ends its
    /// tracks are gathered, so egress still writing is done (default 15).
    pub tracks_settle_seconds: u64,
}

impl LiveKitSettings {
    pub(super) fn read(env: &mut EnvReader<'_>) -> Option<Self> {
        let url = env
            .optional("LIVEKIT_URL")?
            .trim()
            .trim_end_matches('/')
            .to_owned();
        let Some((scheme, rest)) = url.split_once("://") else {
            env.problem(format!(
                "LIVEKIT_URL: expected a ws(s) or http(s) URL, got '{url}'"
            ));
            return None;
        };
        let (http, ws) = match scheme {
            "wss" | "https" => ("https", "wss"),
            "ws" | "http" => ("http", "ws"),
            _ => {
                env.problem(format!(
                    "LIVEKIT_URL: expected a ws(s) or http(s) URL, got '{url}'"
                ));
                return None;
            }
        };
        let (Some(api_key), Some(api_secret)) =
            (env.optional("LIVEKIT_API_KEY"), env.secret("LIVEKIT_API_SECRET"))
        else {
            env.problem("LIVEKIT_URL: also set LIVEKIT_API_KEY and LIVEKIT_API_SECRET".into());
            return None;
        };
        let egress_bucket = env
            .optional("LIVEKIT_STORAGE_AWS_BUCKET_NAME")
            .map(|bucket| S3Location {
                bucket,
                region: env.string("LIVEKIT_STORAGE_AWS_REGION", "us-east-1"),
                endpoint: env.optional("LIVEKIT_STORAGE_AWS_ENDPOINT_URL"),
                access_key_id: env.optional("LIVEKIT_STORAGE_AWS_ACCESS_KEY_ID"),
                secret_access_key: env.secret("LIVEKIT_STORAGE_AWS_SECRET_ACCESS_KEY"),
            });
        if egress_bucket
            .as_ref()
            .is_some_and(|b| b.access_key_id.is_none() || b.secret_access_key.is_none())
        {
            env.problem(
                "LIVEKIT_STORAGE_AWS_BUCKET_NAME: also set LIVEKIT_STORAGE_AWS_ACCESS_KEY_ID and LIVEKIT_STORAGE_AWS_SECRET_ACCESS_KEY (LiveKit's egress writes with them)".into(),
            );
        }
        Some(LiveKitSettings {
            api_url: format!("{http}://{rest}"),
            ws_url: format!("{ws}://{rest}"),
            api_key,
            api_secret,
            webhook_secret: env.secret("LIVEKIT_WEBHOOK_SECRET"),
            egress_bucket,
            tracks_settle_seconds: env.parsed("LIVEKIT_TRACKS_SETTLE_SECONDS", 15u64).min(3600),
        })
    }

    /// What webhooks are signed with.
    pub fn webhook_key(&self) -> &Secret {
        self.webhook_secret.as_ref().unwrap_or(&self.api_secret)
    }
}
