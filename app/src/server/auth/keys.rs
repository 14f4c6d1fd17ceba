use super::idp::IdpVerifier;
use super::rate_limit::LoginRateLimiter;
use super::tokens::TokenKeys;
use crate::server::settings::{AuthBackend, Settings};

/// Key material and limits built once at startup from the settings.
pub struct AuthKeys {
    pub tokens: TokenKeys,
    /// Present with `AUTH_BACKEND=jwt`.
    pub idp: Option<IdpVerifier>,
    pub login_limiter: LoginRateLimiter,
}

impl AuthKeys {
    pub fn from_settings(settings: &Settings) -> Result<Self, String> {
        let idp = match settings.auth.backend {
            AuthBackend::Password => None,
            AuthBackend::Jwt => {
                let pem = settings
                    .auth
                    .jwt_public_key
                    .as_deref()
                    .ok_or("AUTH_JWT_PUBLIC_KEY is required")?;
                Some(IdpVerifier::new(pem, settings.auth.jwt_audience.as_deref())?)
            }
        };
        Ok(AuthKeys {
            tokens: TokenKeys::new(&settings.secret_key, settings.auth.token_ttl_seconds),
            idp,
            login_limiter: LoginRateLimiter::default(),
        })
    }
}
