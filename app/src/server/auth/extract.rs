//! Axum extractors over the shared authentication, for the REST handlers.

use std::net::{IpAddr, SocketAddr};

use axum::extract::{ConnectInfo, FromRef, FromRequestParts, Request, State};
use axum::http::request::Parts;
use axum::http::HeaderMap;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use ipnet::IpNet;

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

/// Who is knocking, for per-client limits: the client's IP address. That is
/// the peer's, unless the peer is a proxy listed in `TRUSTED_PROXIES`: then
/// it is the nearest address in `X-Forwarded-For` that is not one of those
/// proxies (earlier entries can be forged by anyone, so they never count).
pub struct ClientKey(pub String);

impl ClientKey {
    pub fn of(parts: &Parts, trusted_proxies: &[IpNet]) -> Self {
        let Some(peer) = parts
            .extensions
            .get::<ConnectInfo<SocketAddr>>()
            .map(|ConnectInfo(address)| address.ip())
        else {
            return ClientKey("unknown".to_owned());
        };
        ClientKey(client_address(peer, &parts.headers, trusted_proxies).to_string())
    }
}

fn client_address(peer: IpAddr, headers: &HeaderMap, trusted_proxies: &[IpNet]) -> IpAddr {
    let trusted = |address: &IpAddr| trusted_proxies.iter().any(|network| network.contains(address));
    if !trusted(&peer) {
        return peer;
    }
    let forwarded: Vec<&str> = headers
        .get_all("x-forwarded-for")
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(|value| value.split(','))
        .map(str::trim)
        .collect();
    let mut client = peer;
    for hop in forwarded.iter().rev() {
        match hop.parse::<IpAddr>() {
            Ok(address) => {
                client = address;
                if !trusted(&address) {
                    break;
                }
            }
            // Garbage from the far side of our proxies: stop at the last good hop.
            Err(_) => break,
        }
    }
    client
}

impl<S> FromRequestParts<S> for ClientKey
where
    AppState: FromRef<S>,
    S: Send + Sync,
{
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        Ok(ClientKey::of(
            parts,
            &AppState::from_ref(state).settings.trusted_proxies,
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(forwarded: &str) -> HeaderMap {
        let mut headers = HeaderMap::new();
        headers.insert("x-forwarded-for", forwarded.parse().unwrap());
        headers
    }

    #[test]
    fn forwarded_addresses_count_only_behind_a_trusted_proxy() {
        let proxy: IpAddr = "10.0.0.2".parse().unwrap();
        let proxies: Vec<IpNet> = vec!["10.0.0.0/24".parse().unwrap()];
        let client = |peer: IpAddr, forwarded: &str| client_address(peer, &headers(forwarded), &proxies);
        assert_eq!(
            client(proxy, "203.0.113.9"),
            "203.0.113.9".parse::<IpAddr>().unwrap()
        );
        // A client cannot pick its own key by sending the header itself.
        assert_eq!(
            client(proxy, "198.51.100.1, 203.0.113.9"),
            "203.0.113.9".parse::<IpAddr>().unwrap()
        );
        // Chains of our own proxies are skipped.
        assert_eq!(
            client(proxy, "203.0.113.9, 10.0.0.7"),
            "203.0.113.9".parse::<IpAddr>().unwrap()
        );
        // Straight from the internet: the header is ignored.
        let stranger: IpAddr = "198.51.100.7".parse().unwrap();
        assert_eq!(client(stranger, "203.0.113.9"), stranger);
        assert_eq!(client(proxy, "not-an-address"), proxy);
        assert_eq!(client_address(proxy, &HeaderMap::new(), &proxies), proxy);
    }
}
