use leptos::prelude::*;

use crate::types::{ApiError, ServerStatus};

#[server(endpoint = "server_status")]
pub async fn fetch_server_status() -> Result<ServerStatus, ApiError> {
    use crate::server::{services, AppState};

    let state = AppState::from_context()?;
    Ok(services::status::server_status(&state).await?)
}
