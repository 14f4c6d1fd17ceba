use leptos::prelude::*;
use leptos::server_fn::codec::Json;

use crate::types::{ApiError, ServerStatus};

#[server(endpoint = "server_status", input = Json)]
pub async fn fetch_server_status() -> Result<ServerStatus, ApiError> {
    use crate::server::{services, AppState};

    let state = AppState::from_context()?;
    Ok(services::status::server_status(&state).await?)
}
