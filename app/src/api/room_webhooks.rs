//! A room's webhook for the room form: the same services as
//! `/v1/rooms/{room_id}/webhook/…`.

use leptos::prelude::*;
use leptos::server_fn::codec::Json;

use crate::types::{ApiError, DeliveryPage, WebhookDelivery, WebhookTestResult};

#[server(endpoint = "test_room_webhook", input = Json)]
pub async fn test_room_webhook(room_id: String) -> Result<WebhookTestResult, ApiError> {
    let (state, caller) = super::context::state_and_caller().await?;
    Ok(crate::server::services::room_webhooks::views::test(&state, &caller, &room_id).await?)
}

#[server(endpoint = "room_webhook_deliveries", input = Json)]
pub async fn room_webhook_deliveries(
    room_id: String,
    page: i64,
    size: i64,
) -> Result<DeliveryPage, ApiError> {
    let (state, caller) = super::context::state_and_caller().await?;
    Ok(
        crate::server::services::room_webhooks::views::deliveries(&state, &caller, &room_id, page, size)
            .await?,
    )
}

#[server(endpoint = "redeliver_room_webhook", input = Json)]
pub async fn redeliver_room_webhook(room_id: String, event_id: String) -> Result<WebhookDelivery, ApiError> {
    let (state, caller) = super::context::state_and_caller().await?;
    Ok(
        crate::server::services::room_webhooks::views::redeliver(&state, &caller, &room_id, &event_id)
            .await?,
    )
}
