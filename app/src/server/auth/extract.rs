//! Axum extractors over the shared authentication, for the REST handlers.

use std::net::SocketAddr;

use axum::extract::{ConnectInfo, FromRef, FromRequestParts, Request, State};
use axum::http::request::Parts;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use super::{authenticate, Caller};
use crate::server::services::permissions;
use crate::server::{AppError, AppState};

impl<S> FromRequestParts<S> for Caller
where
    AppState: FromRef<S>,
    S: Send + Sync,
{
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, AppError> {
        if let Some(caller) = parts.extensions.get::<Caller>() {
            return Ok(caller.clone());
        }
        authenticate(&AppState::from_ref(state), parts).await
    }
}

/// Middleware: authenticates every request once, refusing bad credentials
/// with 401 on every route, and leaves the [`Caller`] for the extractors.
pub async fn authenticate_request(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let (mut parts, body) = request.into_parts();
    match authenticate(&state, &parts).await {
        Ok(caller) => {
            parts.extensions.insert(caller);
            next.run(Request::from_parts(parts, body)).await
        }
        Err(error) => error.into_response(),
    }
}

/// Middleware for the pages: leaves the [`Caller`] for server rendering (the
/// header shows who is signed in). Pages are for everyone, so bad or stale
/// credentials make an anonymous visitor rather than an error.
pub async fn identify_visitor(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let (mut parts, body) = request.into_parts();
    let caller = authenticate(&state, &parts)
        .await
        .unwrap_or_else(|_| Caller::anonymous());
    parts.extensions.insert(caller);
    next.run(Request::from_parts(parts, body)).await
}

/// A caller that must be signed in: refuses anonymous requests with 401
/// before the body is even read, as Reflector does.
pub struct SignedIn(pub Caller);

impl<S> FromRequestParts<S> for SignedIn
where
    AppState: FromRef<S>,
    S: Send + Sync,
{
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, AppError> {
        let caller = Caller::from_request_parts(parts, state).await?;
        permissions::require_user(&caller)?;
        Ok(SignedIn(caller))
    }
}

/// Who is knocking, for per-client limits: the peer's IP address.
pub struct ClientKey(pub String);

impl ClientKey {
    pub fn of(parts: &Parts) -> Self {
        let key = parts
            .extensions
            .get::<ConnectInfo<SocketAddr>>()
            .map(|ConnectInfo(address)| address.ip().to_string())
            .unwrap_or_else(|| "unknown".to_owned());
        ClientKey(key)
    }
}

impl<S: Send + Sync> FromRequestParts<S> for ClientKey {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        Ok(ClientKey::of(parts))
    }
}
