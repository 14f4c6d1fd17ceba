use super::env_reader::EnvReader;
use crate::server::secret::Secret;

crate::text_enum! {
    /// Who vouches for a user: our own password accounts, or an external
    /// identity provider's signed tokens.
    pub enum AuthBackend as "AUTH_BACKEND" {
        Password = "password",
        Jwt = "jwt",
    }
}

pub const DEFAULT_TOKEN_TTL_SECONDS: i64 = 24 * 60 * 60;

#[derive(Debug, Clone)]
pub struct AuthSettings {
    /// `AUTH_BACKEND`: `password` (default) or `jwt`.
    pub backend: AuthBackend,
    /// `AUTH_JWT_PUBLIC_KEY`: the identity provider's RS256 public key, as PEM
    /// text or the path of a PEM file (jwt backend).
    pub jwt_public_key: Option<String>,
    /// `AUTH_JWT_AUDIENCE`: the `aud` the provider's tokens must carry (jwt backend).
    pub jwt_audience: Option<String>,
    /// `ADMIN_EMAIL` / `ADMIN_PASSWORD`: an account created or updated at startup.
    pub admin_email: Option<String>,
    pub admin_password: Option<Secret>,
    /// `AUTH_TOKEN_TTL_SECONDS`: lifetime of login tokens and cookies.
    pub token_ttl_seconds: i64,
}

impl AuthSettings {
    pub(super) fn read(env: &mut EnvReader<'_>) -> Self {
        let backend = env.parsed("AUTH_BACKEND", AuthBackend::Password);
        let jwt_public_key = env.optional("AUTH_JWT_PUBLIC_KEY").and_then(|value| {
            if value.starts_with("-----BEGIN") {
                return Some(value);
            }
            match std::fs::read_to_string(&value) {
                Ok(pem) => Some(pem),
                Err(error) => {
                    env.problem(format!(
                        "AUTH_JWT_PUBLIC_KEY: cannot read PEM file '{value}': {error}"
                    ));
                    None
                }
            }
        });
        if backend == AuthBackend::Jwt
            && jwt_public_key.is_none()
            && env.optional("AUTH_JWT_PUBLIC_KEY").is_none()
        {
            env.problem("AUTH_JWT_PUBLIC_KEY: required when AUTH_BACKEND=jwt".into());
        }
        let admin_email = env.optional("ADMIN_EMAIL").map(|email| email.to_lowercase());
        let admin_password = env.secret("ADMIN_PASSWORD");
        match (&admin_email, &admin_password) {
            (Some(_), None) => env.problem("ADMIN_PASSWORD: required when ADMIN_EMAIL is set".into()),
            (None, Some(_)) => env.problem("ADMIN_EMAIL: required when ADMIN_PASSWORD is set".into()),
            (Some(email), Some(_)) if !email.contains('@') => {
                env.problem(format!("ADMIN_EMAIL: '{email}' is not an e-mail address"))
            }
            _ => {}
        }
        let token_ttl_seconds = env.parsed("AUTH_TOKEN_TTL_SECONDS", DEFAULT_TOKEN_TTL_SECONDS);
        if token_ttl_seconds <= 0 {
            env.problem("AUTH_TOKEN_TTL_SECONDS: must be a positive number of seconds".into());
        }
        AuthSettings {
            backend,
            jwt_public_key,
            jwt_audience: env.optional("AUTH_JWT_AUDIENCE"),
            admin_email,
            admin_password,
            token_ttl_seconds,
        }
    }
}
