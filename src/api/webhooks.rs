use app::server::error::ErrorBody;
use app::server::services::webhooks::{ingest_daily, ingest_jaas, ingest_livekit, ingest_whereby, AckBody};
use app::server::{AppError, AppState};
use axum::body::Bytes;
use axum::extract::State;
use axum::http::HeaderMap;
use axum::Json;

/// Daily's signed events, checked over the raw body (`reflector daily-webhook
/// ensure` points Daily here).
#[utoipa::path(post, path = "/daily/webhook", operation_id = "daily_webhook", tag = "platform webhooks",
    params(
        ("X-Webhook-Signature" = String, Header, description = "Base64 HMAC-SHA256, keyed with the base64-decoded DAILY_WEBHOOK_SECRET, of `<timestamp>.<raw body>`"),
        ("X-Webhook-Timestamp" = String, Header, description = "Unix seconds (or milliseconds); refused more than 5 minutes from now"),
    ),
    request_body(content = serde_json::Value, content_type = "application/json",
        description = "A Daily event: `{\"version\", \"type\", \"id\", \"payload\", \"event_ts\"}`; Daily's unsigned `{\"test\": \"test\"}` creation probe is answered too"),
    responses(
        (status = 200, description = "Applied (`ok`), seen before (`duplicate`) or not for us (`ignored`)", body = AckBody),
        (status = 401, description = "The signature or timestamp does not check out", body = ErrorBody),
        (status = 422, description = "A known event type whose payload does not fit", body = ErrorBody),
        (status = 503, description = "DAILY_WEBHOOK_SECRET is not set", body = ErrorBody),
    ))]
pub async fn daily(
    State(state): State<AppState>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Json<AckBody>, AppError> {
    Ok(Json(AckBody {
        status: ingest_daily(&state, &headers, &body).await?,
    }))
}

/// Whereby's signed events, checked over the raw body.
#[utoipa::path(post, path = "/whereby", operation_id = "whereby_webhook", tag = "platform webhooks",
    params(
        ("Whereby-Signature" = String, Header, description = "`t=<unix seconds>,v1=<hex HMAC-SHA256 of \"<t>.<raw body>\" keyed with WHEREBY_WEBHOOK_SECRET>`"),
    ),
    request_body(content = serde_json::Value, content_type = "application/json",
        description = "A Whereby event: `{\"id\", \"type\", \"createdAt\", \"data\"}`"),
    responses(
        (status = 200, description = "Applied (`ok`), seen before (`duplicate`) or not for us (`ignored`)", body = AckBody),
        (status = 401, description = "The signature or timestamp does not check out", body = ErrorBody),
        (status = 422, description = "A known event type whose payload does not fit", body = ErrorBody),
        (status = 503, description = "WHEREBY_WEBHOOK_SECRET is not set", body = ErrorBody),
    ))]
pub async fn whereby(
    State(state): State<AppState>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Json<AckBody>, AppError> {
    Ok(Json(AckBody {
        status: ingest_whereby(&state, &headers, &body).await?,
    }))
}

/// JaaS's (8x8 Jitsi) signed events: participants, the room closing, recordings.
#[utoipa::path(post, path = "/jaas/webhook", operation_id = "jaas_webhook", tag = "platform webhooks",
    params(
        ("X-Jaas-Signature" = String, Header, description = "`t=<unix seconds>,v1=<base64 HMAC-SHA256 of \"<t>.<raw body>\" keyed with JAAS_WEBHOOK_SECRET>`"),
    ),
    request_body(content = serde_json::Value, content_type = "application/json",
        description = "A JaaS event: `{\"idempotencyKey\", \"eventType\", \"fqn\", \"timestamp\", \"data\"}`"),
    responses(
        (status = 200, description = "Applied (`ok`), seen before (`duplicate`) or not for us (`ignored`)", body = AckBody),
        (status = 401, description = "The signature or timestamp does not check out", body = ErrorBody),
        (status = 422, description = "A known event type whose payload does not fit", body = ErrorBody),
        (status = 503, description = "JAAS_WEBHOOK_SECRET is not set", body = ErrorBody),
    ))]
pub async fn jaas(
    State(state): State<AppState>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Json<AckBody>, AppError> {
    Ok(Json(AckBody {
        status: ingest_jaas(&state, &headers, &body).await?,
    }))
}

/// LiveKit's signed events: participants, the room finishing, egress ending.
#[utoipa::path(post, path = "/livekit/webhook", operation_id = "livekit_webhook", tag = "platform webhooks",
    params(
        ("Authorization" = String, Header, description = "A token (no `Bearer`) signed HS256 with LIVEKIT_WEBHOOK_SECRET or LIVEKIT_API_SECRET, issued by LIVEKIT_API_KEY, whose `sha256` claim is the base64 SHA-256 of the raw body"),
    ),
    request_body(content = serde_json::Value, content_type = "application/webhook+json",
        description = "A LiveKit event: `{\"event\", \"id\", \"createdAt\", \"room\", \"participant\", \"egressInfo\"}`"),
    responses(
        (status = 200, description = "Applied (`ok`), seen before (`duplicate`) or not for us (`ignored`)", body = AckBody),
        (status = 401, description = "The token or the body's hash does not check out", body = ErrorBody),
        (status = 422, description = "A known event type whose payload does not fit", body = ErrorBody),
        (status = 503, description = "LiveKit is not configured", body = ErrorBody),
    ))]
pub async fn livekit(
    State(state): State<AppState>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Json<AckBody>, AppError> {
    Ok(Json(AckBody {
        status: ingest_livekit(&state, &headers, &body).await?,
    }))
}
