use app::server::auth::Caller;
use app::server::error::ErrorBody;
use app::server::services::room_webhooks::views;
use app::server::{AppError, AppState};
use app::types::{DeliveryPage, WebhookDelivery, WebhookTestResult};
use axum::extract::State;
use axum::Json;
use serde::Deserialize;
use utoipa::IntoParams;

use super::extract::{ApiPath, ApiQuery};

/// Sends a signed `test` event to the room's webhook now and says how it
/// went (Reflector's `WebhookTestResult`; the receiver's answer, first 1 KB).
#[utoipa::path(post, path = "/rooms/{room_id}/webhook/test", operation_id = "test_room_webhook", tag = "room webhooks",
    params(("room_id" = String, Path, description = "The room's id")),
    security(("bearer" = []), ("api_key" = [])),
    responses(
        (status = 200, description = "How the test went: `success`, and the receiver's status and answer or what kept it from answering", body = WebhookTestResult),
        (status = 403, description = "Not the room's owner", body = ErrorBody),
        (status = 404, description = "No such room", body = ErrorBody),
    ))]
pub async fn test(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(room_id): ApiPath<String>,
) -> Result<Json<WebhookTestResult>, AppError> {
    Ok(Json(views::test(&state, &caller, &room_id).await?))
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct DeliveryPaging {
    /// From 1 (default 1).
    #[param(minimum = 1)]
    page: Option<i64>,
    /// 1 to 100 (default 20).
    #[param(minimum = 1, maximum = 100)]
    size: Option<i64>,
}

/// The room's webhook deliveries, newest first, each with its attempts
/// (time, status, duration, error, the receiver's answer).
#[utoipa::path(get, path = "/rooms/{room_id}/webhook/deliveries", operation_id = "room_webhook_deliveries", tag = "room webhooks",
    params(("room_id" = String, Path, description = "The room's id"), DeliveryPaging),
    security(("bearer" = []), ("api_key" = [])),
    responses(
        (status = 200, description = "A page of deliveries", body = DeliveryPage),
        (status = 403, description = "Not the room's owner", body = ErrorBody),
        (status = 404, description = "No such room", body = ErrorBody),
    ))]
pub async fn deliveries(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(room_id): ApiPath<String>,
    ApiQuery(paging): ApiQuery<DeliveryPaging>,
) -> Result<Json<DeliveryPage>, AppError> {
    let (page, size) = (paging.page.unwrap_or(1), paging.size.unwrap_or(20));
    Ok(Json(
        views::deliveries(&state, &caller, &room_id, page, size).await?,
    ))
}

/// Sends the event again (same `event_id`), retried for another day if need be.
#[utoipa::path(post, path = "/rooms/{room_id}/webhook/deliveries/{event_id}/redeliver", operation_id = "redeliver_room_webhook", tag = "room webhooks",
    params(
        ("room_id" = String, Path, description = "The room's id"),
        ("event_id" = String, Path, description = "The event's id"),
    ),
    security(("bearer" = []), ("api_key" = [])),
    responses(
        (status = 200, description = "The delivery, pending again", body = WebhookDelivery),
        (status = 403, description = "Not the room's owner", body = ErrorBody),
        (status = 404, description = "No such room or event", body = ErrorBody),
    ))]
pub async fn redeliver(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath((room_id, event_id)): ApiPath<(String, String)>,
) -> Result<Json<WebhookDelivery>, AppError> {
    Ok(Json(
        views::redeliver(&state, &caller, &room_id, &event_id).await?,
    ))
}
