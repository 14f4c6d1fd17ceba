use super::env_reader::EnvReader;
use crate::server::secret::Secret;

pub const JAAS_URL: &str = "https://8x8.vc";

/// Where Jitsi meetings run: a self-hosted Jitsi Meet with token
/// authentication, or 8x8's hosted JaaS. Unset: no Jitsi rooms.
#[derive(Debug, Clone)]
pub enum JitsiSettings {
    None,
    SelfHosted {
        /// `JITSI_URL`: the deployment's address (`https://meet.example.org`).
        url: String,
        /// `JITSI_APP_ID`: Prosody's `app_id`, the tokens' issuer.
        app_id: String,
        /// `JITSI_APP_SECRET`: Prosody's `app_secret` (HS256).
        app_secret: Secret,
        /// `JITSI_JWT_AUDIENCE`: the tokens' audience (default `jitsi`).
        audience: String,
    },
    Jaas {
        /// `JAAS_URL`: 8x8's address (default `https://8x8.vc`).
        url: String,
        /// `JAAS_APP_ID`: `vpaas-magic-cookie-…`.
        app_id: String,
        /// `JAAS_KEY_ID`: the API key's id (`vpaas-magic-cookie-…/abc123`).
        key_id: String,
        /// `JAAS_PRIVATE_KEY` (PEM text) or `JAAS_PRIVATE_KEY_FILE`: the
        /// API key's RSA private key (RS256).
        private_key: Secret,
        /// `JAAS_WEBHOOK_SECRET`: the webhook endpoint's secret
        /// (`X-Jaas-Signature`); without it JaaS webhooks are refused.
        webhook_secret: Option<Secret>,
    },
}

impl JitsiSettings {
    pub(super) fn read(env: &mut EnvReader<'_>) -> Self {
        let self_hosted = env
            .optional("JITSI_URL")
            .map(|url| url.trim().trim_end_matches('/').to_owned());
        let jaas_app_id = env.optional("JAAS_APP_ID");
        match (self_hosted, jaas_app_id) {
            (None, None) => JitsiSettings::None,
            (Some(_), Some(_)) => {
                env.problem(
                    "JITSI_URL and JAAS_APP_ID: set one of them (self-hosted Jitsi or JaaS), not both".into(),
                );
                JitsiSettings::None
            }
            (Some(url), None) => {
                if !(url.starts_with("https://") || url.starts_with("http://")) {
                    env.problem(format!("JITSI_URL: expected an http(s) URL, got '{url}'"));
                }
                let (Some(app_id), Some(app_secret)) =
                    (env.optional("JITSI_APP_ID"), env.secret("JITSI_APP_SECRET"))
                else {
                    env.problem(
                        "JITSI_URL: also set JITSI_APP_ID and JITSI_APP_SECRET (the deployment's token authentication)"
                            .into(),
                    );
                    return JitsiSettings::None;
                };
                JitsiSettings::SelfHosted {
                    url,
                    app_id,
                    app_secret,
                    audience: env.string("JITSI_JWT_AUDIENCE", "jitsi"),
                }
            }
            (None, Some(app_id)) => {
                let private_key = env.secret("JAAS_PRIVATE_KEY").or_else(|| {
                    let path = env.optional("JAAS_PRIVATE_KEY_FILE")?;
                    std::fs::read_to_string(path).ok().map(Secret::new)
                });
                let (Some(key_id), Some(private_key)) = (env.optional("JAAS_KEY_ID"), private_key) else {
                    env.problem(
                        "JAAS_APP_ID: also set JAAS_KEY_ID and JAAS_PRIVATE_KEY (or a readable JAAS_PRIVATE_KEY_FILE)"
                            .into(),
                    );
                    return JitsiSettings::None;
                };
                JitsiSettings::Jaas {
                    url: env.string("JAAS_URL", JAAS_URL).trim_end_matches('/').to_owned(),
                    app_id,
                    key_id,
                    // Environments often carry a PEM on one line with `\n`.
                    private_key: Secret::new(private_key.expose().replace("\\n", "\n")),
                    webhook_secret: env.secret("JAAS_WEBHOOK_SECRET"),
                }
            }
        }
    }

    pub fn webhook_secret(&self) -> Option<&Secret> {
        match self {
            JitsiSettings::Jaas { webhook_secret, .. } => webhook_secret.as_ref(),
            _ => None,
        }
    }
}
