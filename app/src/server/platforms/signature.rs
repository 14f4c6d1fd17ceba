use axum::http::HeaderMap;
use base64::Engine;
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

/// How a `t=…,v1=…` header writes its signatures.
#[derive(Debug, Clone, Copy)]
pub enum SignatureEncoding {
    Hex,
    Base64,
}

/// Checks a `t=<unix s>,v1=<signature>[,v1=…]` header (Whereby, JaaS):
/// HMAC-SHA256 keyed with `secret` over `t + "." + raw body`. Any `v1` may
/// match (secret rotation); other schemes are ignored (no downgrade).
pub fn verify_timestamped_header(
    secret: &[u8],
    headers: &HeaderMap,
    header: &'static str,
    encoding: SignatureEncoding,
    body: &[u8],
    now: DateTime<Utc>,
) -> Result<(), SignatureError> {
    let value = headers
        .get(header)
        .ok_or(SignatureError::MissingHeader(header))?
        .to_str()
        .map_err(|_| SignatureError::Malformed(header))?;
    let mut timestamp = None;
    let mut signatures = Vec::new();
    for part in value.split(',') {
        match part.trim().split_once('=') {
            Some(("t", value)) => timestamp = Some(value),
            Some(("v1", value)) => {
                let decoded = match encoding {
                    SignatureEncoding::Hex => hex::decode(value).ok(),
                    SignatureEncoding::Base64 => base64::engine::general_purpose::STANDARD.decode(value).ok(),
                };
                signatures.push(decoded.ok_or(SignatureError::Malformed(header))?);
            }
            _ => {}
        }
    }
    let timestamp = timestamp.ok_or(SignatureError::Malformed(header))?;
    if signatures.is_empty() {
        return Err(SignatureError::Malformed(header));
    }
    check_timestamp(timestamp, now, header)?;
    let expected = mac_over(secret, timestamp, body);
    if signatures
        .iter()
        .any(|signature| expected.clone().verify_slice(signature).is_ok())
    {
        Ok(())
    } else {
        Err(SignatureError::Mismatch)
    }
}

/// Accepts a whole Unix timestamp, in seconds or milliseconds, within the
/// tolerance. Only digits count: `NaN`, `1e9` or `1.5` are malformed.
pub fn check_timestamp(
    timestamp: &str,
    now: DateTime<Utc>,
    header: &'static str,
) -> Result<(), SignatureError> {
    let text = timestamp.trim();
    if text.is_empty() || text.len() > 15 || !text.bytes().all(|byte| byte.is_ascii_digit()) {
        return Err(SignatureError::Malformed(header));
    }
    let value: i64 = text.parse().map_err(|_| SignatureError::Malformed(header))?;
    let seconds = if value > 100_000_000_000 {
        value / 1000
    } else {
        value
    };
    if (now.timestamp() - seconds).abs() > WEBHOOK_TOLERANCE_SECONDS {
        return Err(SignatureError::Stale);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn timestamps_are_whole_numbers_near_now() {
        let now = DateTime::from_timestamp(1_800_000_000, 0).unwrap();
        let check = |text: &str| check_timestamp(text, now, "t");
        assert_eq!(check("1800000000"), Ok(()));
        assert_eq!(check("1800000299000"), Ok(()), "milliseconds");
        assert_eq!(check(" 1800000000 "), Ok(()));
        assert_eq!(check("1800000301"), Err(SignatureError::Stale));
        for bad in [
            "NaN",
            "nan",
            "inf",
            "-inf",
            "1.8e9",
            "1800000000.5",
            "",
            "-1800000000",
            "0x6b49d200",
        ] {
            assert_eq!(check(bad), Err(SignatureError::Malformed("t")), "{bad:?}");
        }
        assert_eq!(check("999999999999999"), Err(SignatureError::Stale));
    }
}
