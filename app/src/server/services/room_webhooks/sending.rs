//! One attempt at sending an event: the body (Reflector's envelope), the
//! signature and headers, the POST through the guarded client, and what the
//! answer means for the delivery.

use chrono::{DateTime, Duration, Utc};
use hmac::{Hmac, Mac};
use reqwest::header::{HeaderMap, HeaderName, HeaderValue, CONTENT_TYPE, USER_AGENT};
use serde_json::{json, Value};
use sha2::Sha256;

use crate::server::store::{AfterAttempt, AttemptOutcome, PendingDelivery};
use crate::server::user_urls::FetchError;
use crate::server::AppState;
use crate::types::Room;

/// What receivers written for Reflector look for.
const AGENT: &str = "Reflector-Webhook/1.0";
const MAX_RETRY_DELAY: Duration = Duration::hours(1);

/// `{"event", "event_id", "timestamp", "room": {"id", "name"}, …the event's own fields}`.
pub fn body(delivery: &PendingDelivery, room: &Room) -> Vec<u8> {
    let mut envelope = json!({
        "event": delivery.event,
        "event_id": delivery.event_id,
        "timestamp": delivery.occurred_at,
        "room": {"id": room.id, "name": room.name},
    });
    if let (Value::Object(fields), Value::Object(own)) = (&mut envelope, &delivery.data) {
        for (key, value) in own {
            fields.entry(key.clone()).or_insert_with(|| value.clone());
        }
    }
    serde_json::to_vec(&envelope).unwrap_or_default()
}

/// `t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<t>.<body>")>`.
pub fn signature(secret: &str, timestamp: i64, body: &[u8]) -> String {
    let mut mac =
        <Hmac<Sha256> as Mac>::new_from_slice(secret.as_bytes()).expect("HMAC takes any key length");
    mac.update(timestamp.to_string().as_bytes());
    mac.update(b".");
    mac.update(body);
    format!("t={timestamp},v1={}", hex::encode(mac.finalize().into_bytes()))
}

fn headers(delivery: &PendingDelivery, room: &Room, body: &[u8], now: DateTime<Utc>) -> HeaderMap {
    let mut headers = HeaderMap::new();
    let mut set = |name: &'static str, value: String| {
        if let Ok(value) = HeaderValue::from_str(&value) {
            headers.insert(HeaderName::from_static(name), value);
        }
    };
    set("x-webhook-event", delivery.event.as_str().to_owned());
    set("x-webhook-retry", delivery.attempts.to_string());
    if let Some(secret) = room.webhook_secret.as_deref().filter(|secret| !secret.is_empty()) {
        set("x-webhook-signature", signature(secret, now.timestamp(), body));
    }
    headers.insert(CONTENT_TYPE, HeaderValue::from_static("application/json"));
    headers.insert(USER_AGENT, HeaderValue::from_static(AGENT));
    headers
}

/// How an attempt ended, before deciding what comes next.
#[derive(Debug, Clone, PartialEq)]
pub enum Sent {
    Answered {
        status: u16,
        preview: String,
        retry_after_seconds: Option<u64>,
        elapsed_ms: i64,
    },
    Failed {
        error: FetchError,
        elapsed_ms: i64,
    },
}

/// POSTs the event to the room's webhook URL.
pub async fn send(state: &AppState, delivery: &PendingDelivery, room: &Room, now: DateTime<Utc>) -> Sent {
    let started = std::time::Instant::now();
    let Some(url) = room.webhook_url.as_deref().filter(|url| !url.trim().is_empty()) else {
        return Sent::Failed {
            error: FetchError::Refused("the room has no webhook URL".into()),
            elapsed_ms: 0,
        };
    };
    let body = body(delivery, room);
    let headers = headers(delivery, room, &body, now);
    let timeout = state.settings.room_webhooks.timeout;
    match state.user_urls.post(url, headers, body, timeout).await {
        Ok(posted) => Sent::Answered {
            status: posted.status,
            preview: posted.preview,
            retry_after_seconds: posted.retry_after_seconds,
            elapsed_ms: posted.elapsed.as_millis() as i64,
        },
        Err(error) => Sent::Failed {
            error,
            elapsed_ms: started.elapsed().as_millis() as i64,
        },
    }
}

/// Whether another attempt could go differently: server errors, 408 and
/// 429, timeouts and unreachable receivers; not other refusals.
fn worth_retrying(sent: &Sent) -> bool {
    match sent {
        Sent::Answered { status, .. } => *status >= 500 || *status == 408 || *status == 429,
        Sent::Failed { error, .. } => matches!(error, FetchError::Timeout(_) | FetchError::Unreachable(_)),
    }
}

/// The wait before retry number `retry` (1 for the first): `base`·2^(retry−1)
/// up to an hour, times a random factor in [½, 1) so receivers that come
/// back are not hit by every sender at once.
pub fn backoff(base_seconds: u64, retry: i64) -> Duration {
    let exponent = (retry - 1).clamp(0, 20) as u32;
    let full = Duration::seconds((base_seconds as i64).saturating_mul(1i64 << exponent)).min(MAX_RETRY_DELAY);
    let jitter = 0.5 + (uuid::Uuid::new_v4().as_u128() % 1000) as f64 / 2000.0;
    Duration::milliseconds((full.num_milliseconds() as f64 * jitter) as i64)
}

/// The attempt as recorded, and what the delivery does next.
pub fn outcome(
    state: &AppState,
    delivery: &PendingDelivery,
    sent: &Sent,
    now: DateTime<Utc>,
) -> AttemptOutcome {
    let settings = &state.settings.room_webhooks;
    let deadline = delivery
        .retry_until
        .unwrap_or(delivery.occurred_at + Duration::hours(settings.retry_hours));
    let next = match sent {
        Sent::Answered { status, .. } if (200..300).contains(status) => AfterAttempt::Delivered,
        _ if !worth_retrying(sent) => AfterAttempt::GiveUp,
        Sent::Answered {
            retry_after_seconds: Some(seconds),
            ..
        } => AfterAttempt::RetryAt(now + Duration::seconds((*seconds).min(86_400) as i64)),
        _ => AfterAttempt::RetryAt(now + backoff(settings.retry_base_seconds, delivery.attempts + 1)),
    };
    let next = match next {
        AfterAttempt::RetryAt(at) if at > deadline => AfterAttempt::GiveUp,
        other => other,
    };
    let (status_code, error, response_preview, duration_ms) = match sent {
        Sent::Answered {
            status,
            preview,
            elapsed_ms,
            ..
        } => (
            Some(*status as i64),
            (!(200..300).contains(status)).then(|| format!("the receiver answered {status}")),
            Some(preview.clone()),
            *elapsed_ms,
        ),
        Sent::Failed { error, elapsed_ms } => (None, Some(error.to_string()), None, *elapsed_ms),
    };
    AttemptOutcome {
        attempted_at: now,
        status_code,
        duration_ms,
        error,
        response_preview,
        next,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Reflector's own vector (reflector-server.md §2.4): receivers written
    /// for Reflector accept our signatures.
    #[test]
    fn signatures_match_reflectors_vector() {
        let body = br#"{"event":"test","event_id":"0123456789abcdef0123456789abcdef","timestamp":"2026-01-01T12:00:00Z","message":"This is a test webhook from Reflector","room":{"id":"room-1","name":"myroom"}}"#;
        assert_eq!(
            signature("room-secret", 1767268800, body),
            "t=1767268800,v1=cd27c9943ef3710c58725862ef82dbadf87351ed66a12f781c1defb619a53147"
        );
    }

    #[test]
    fn backoff_doubles_with_jitter_up_to_an_hour() {
        for retry in 1..=30 {
            let full = Duration::seconds(20 * (1i64 << (retry - 1).min(20))).min(MAX_RETRY_DELAY);
            let wait = backoff(20, retry);
            assert!(
                wait <= full && wait >= full / 2,
                "retry {retry}: {wait} of {full}"
            );
        }
        assert!(
            backoff(20, 1) < Duration::minutes(1),
            "the first retry within a minute"
        );
    }
}
