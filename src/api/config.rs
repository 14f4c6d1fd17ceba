use axum::Json;
use serde::Serialize;
use utoipa::ToSchema;

/// Which optional integrations this server offers.
#[derive(Serialize, ToSchema)]
pub struct ConfigResponse {
    zulip_enabled: bool,
    email_enabled: bool,
}

/// Which optional integrations this server offers.
#[utoipa::path(get, path = "/config", operation_id = "get_config", tag = "server",
    responses((status = 200, description = "The integrations", body = ConfigResponse)))]
pub async fn get_config() -> Json<ConfigResponse> {
    // Neither the Zulip nor the e-mail integration is part of this server yet.
    Json(ConfigResponse {
        zulip_enabled: false,
        email_enabled: false,
    })
}
