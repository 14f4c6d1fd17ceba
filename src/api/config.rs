use axum::Json;
use serde::Serialize;

/// `GET /v1/config`: which optional integrations this server offers.
#[derive(Serialize)]
pub struct ConfigResponse {
    zulip_enabled: bool,
    email_enabled: bool,
}

pub async fn get_config() -> Json<ConfigResponse> {
    // Neither the Zulip nor the e-mail integration is part of this server yet.
    Json(ConfigResponse {
        zulip_enabled: false,
        email_enabled: false,
    })
}
