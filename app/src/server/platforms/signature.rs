use chrono::{DateTime, Utc};
use hmac::{Hmac, Mac};
use sha2::Sha256;

/// How far a webhook's timestamp may be from our clock, either way.
pub const WEBHOOK_TOLERANCE_SECONDS: i64 = 5 * 60;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SignatureError {
    #[error("webhook signing is not configured: set {0}")]
    NotConfigured(&'static str),
    #[error("missing {0} header")]
    MissingHeader(&'static str),
    #[error("malformed {0} header")]
    Malformed(&'static str),
    #[error("webhook timestamp is more than 5 minutes away from now")]
    Stale,
    #[error("signature does not match")]
    Mismatch,
}

/// HMAC-SHA256 of `timestamp + "." + body`.
pub fn mac_over(key: &[u8], timestamp: &str, body: &[u8]) -> Hmac<Sha256> {
    let mut mac = Hmac::<Sha256>::new_from_slice(key).expect("HMAC takes any key length");
    mac.update(timestamp.as_bytes());
    mac.update(b".");
    mac.update(body);
    mac
}

/// Accepts a Unix timestamp in seconds or milliseconds within the tolerance.
pub fn check_timestamp(
    timestamp: &str,
    now: DateTime<Utc>,
    header: &'static str,
) -> Result<(), SignatureError> {
    let value: f64 = timestamp
        .trim()
        .parse()
        .map_err(|_| SignatureError::Malformed(header))?;
    let seconds = if value > 1e11 { value / 1000.0 } else { value };
    if (now.timestamp() as f64 - seconds).abs() > WEBHOOK_TOLERANCE_SECONDS as f64 {
        return Err(SignatureError::Stale);
    }
    Ok(())
}
