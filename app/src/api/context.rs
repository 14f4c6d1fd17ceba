//! What a server function needs from its request: the services' state and
//! the caller, authenticated exactly as the REST API does it.

use axum::http::request::Parts;

use crate::server::auth::{authenticate, Caller};
use crate::server::{AppError, AppState};
use crate::types::ApiError;

pub async fn request_parts() -> Result<Parts, ApiError> {
    leptos_axum::extract::<Parts>()
        .await
        .map_err(|error| ApiError::from(AppError::internal(error)))
}

pub async fn state_and_caller() -> Result<(AppState, Caller), ApiError> {
    let state = AppState::from_context()?;
    let parts = request_parts().await?;
    let caller = authenticate(&state, &parts).await?;
    Ok((state, caller))
}

/// Adds a `Set-Cookie` header to the server function's response.
pub fn set_cookie(cookie: &str) {
    if let (Some(response), Ok(value)) = (
        leptos::prelude::use_context::<leptos_axum::ResponseOptions>(),
        cookie.parse(),
    ) {
        response.append_header(axum::http::header::SET_COOKIE, value);
    }
}
