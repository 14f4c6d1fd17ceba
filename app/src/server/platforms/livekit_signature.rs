//! LiveKit's webhook signature: `Authorization` carries a token (no
//! "Bearer"), HS256 with the API secret (or `LIVEKIT_WEBHOOK_SECRET`),
//! issued by our API key, whose `sha256` claim is the base64 SHA-256 of
//! the exact body.

use axum::http::HeaderMap;
use base64::Engine;
use chrono::{DateTime, Utc};
use jsonwebtoken::{decode, Algorithm, DecodingKey, Validation};
use sha2::{Digest, Sha256};
use subtle::ConstantTimeEq;

use super::livekit::LiveKitClaims;
use super::SignatureError;
use crate::server::settings::LiveKitSettings;

const HEADER: &str = "Authorization";
/// Clock difference allowed on the token's times.
const LEEWAY_SECONDS: i64 = 60;

pub fn verify_livekit_webhook(
    settings: Option<&LiveKitSettings>,
    body: &[u8],
    headers: &HeaderMap,
    now: DateTime<Utc>,
) -> Result<(), SignatureError> {
    let settings = settings.ok_or(SignatureError::NotConfigured(
        "LIVEKIT_URL, LIVEKIT_API_KEY and LIVEKIT_API_SECRET",
    ))?;
    let value = headers
        .get(HEADER)
        .ok_or(SignatureError::MissingHeader(HEADER))?
        .to_str()
        .map_err(|_| SignatureError::Malformed(HEADER))?;
    let token = value.strip_prefix("Bearer ").unwrap_or(value).trim();
    let mut validation = Validation::new(Algorithm::HS256);
    validation.set_issuer(&[&settings.api_key]);
    validation.set_required_spec_claims(&["exp", "iss"]);
    // Times are checked below against `now`, so tests can say when it is.
    validation.validate_exp = false;
    validation.validate_nbf = false;
    validation.validate_aud = false;
    let claims = decode::<LiveKitClaims>(
        token,
        &DecodingKey::from_secret(settings.webhook_key().expose().as_bytes()),
        &validation,
    )
    .map_err(|error| match error.kind() {
        jsonwebtoken::errors::ErrorKind::InvalidSignature
        | jsonwebtoken::errors::ErrorKind::InvalidIssuer => SignatureError::Mismatch,
        _ => SignatureError::Malformed(HEADER),
    })?
    .claims;
    let now = now.timestamp();
    if claims.exp + LEEWAY_SECONDS < now || claims.nbf - LEEWAY_SECONDS > now {
        return Err(SignatureError::Stale);
    }
    let claimed = claims
        .sha256
        .and_then(|text| base64::engine::general_purpose::STANDARD.decode(text).ok())
        .ok_or(SignatureError::Malformed(HEADER))?;
    let digest = Sha256::digest(body);
    if bool::from(digest[..].ct_eq(&claimed[..])) {
        Ok(())
    } else {
        Err(SignatureError::Mismatch)
    }
}
