use axum::http::header::{AUTHORIZATION, HOST, ORIGIN};
use axum::http::request::Parts;
use axum::http::{HeaderMap, HeaderValue, Method};

use super::api_keys;
use super::cookie::{read_cookie, SESSION_COOKIE};
use crate::server::store::User;
use crate::server::{AppError, AppState};

/// The authenticated user behind a request, if any.
#[derive(Debug, Clone, Default)]
pub struct Caller {
    user: Option<User>,
}

impl Caller {
    pub fn anonymous() -> Self {
        Caller { user: None }
    }

    pub fn signed_in(user: User) -> Self {
        Caller { user: Some(user) }
    }

    pub fn user(&self) -> Option<&User> {
        self.user.as_ref()
    }

    pub fn user_id(&self) -> Option<&str> {
        self.user.as_ref().map(|user| user.id.as_str())
    }
}

fn invalid(detail: &str) -> AppError {
    AppError::Unauthorized(detail.to_owned())
}

/// Resolves every credential the request carries: `Authorization: Bearer`,
/// `X-API-Key` and the login cookie. A bad header credential is refused (401);
/// a stale cookie is ignored (the visitor is simply anonymous); credentials
/// naming different users are refused.
pub async fn authenticate(state: &AppState, parts: &Parts) -> Result<Caller, AppError> {
    let headers = &parts.headers;
    let mut users: Vec<User> = Vec::new();

    if let Some(value) = headers.get(AUTHORIZATION) {
        let token = bearer_token(value).ok_or_else(|| invalid("Invalid authentication"))?;
        users.push(user_for_bearer(state, token).await?);
    }
    if let Some(value) = headers.get("x-api-key") {
        let key = value
            .to_str()
            .map(str::trim)
            .map_err(|_| invalid("Invalid API key"))?;
        let hash = api_keys::hash(&state.settings.secret_key, key);
        let user = state.store.user_by_api_key_hash(&hash).await?;
        users.push(user.ok_or_else(|| invalid("Invalid API key"))?);
    }
    let header_credentials = !users.is_empty();
    if let Some(token) = read_cookie(headers, SESSION_COOKIE) {
        if let Some(user) = user_for_session(state, token).await? {
            // A browser attaches cookies to cross-site requests too; custom
            // headers it cannot add without the page's own script.
            if !header_credentials && !is_safe(&parts.method) {
                refuse_cross_site(state, headers)?;
            }
            users.push(user);
        }
    }

    match users.split_first() {
        None => Ok(Caller::anonymous()),
        Some((first, rest)) if rest.iter().all(|other| other.id == first.id) => {
            Ok(Caller::signed_in(first.clone()))
        }
        Some(_) => Err(invalid("The request carries credentials of different users")),
    }
}

fn bearer_token(value: &HeaderValue) -> Option<&str> {
    let text = value.to_str().ok()?;
    let (scheme, token) = text.split_once(' ')?;
    let token = token.trim();
    (scheme.eq_ignore_ascii_case("bearer") && !token.is_empty()).then_some(token)
}

async fn user_for_bearer(state: &AppState, token: &str) -> Result<User, AppError> {
    match &state.auth.idp {
        Some(idp) => {
            let claims = idp
                .verify(token)
                .ok_or_else(|| invalid("Invalid authentication"))?;
            let email = claims
                .email
                .filter(|email| !email.is_empty())
                .ok_or_else(|| invalid("The token carries no email claim"))?;
            match state.store.user_by_subject(&claims.sub).await? {
                Some(user) if user.email == email => Ok(user),
                _ => Ok(state.store.upsert_user(&claims.sub, &email, None).await?),
            }
        }
        None => user_for_session(state, token)
            .await?
            .ok_or_else(|| invalid("Invalid authentication")),
    }
}

/// The user of one of our own tokens, if it is valid and the user still exists.
async fn user_for_session(state: &AppState, token: &str) -> Result<Option<User>, AppError> {
    match state.auth.tokens.verify(token) {
        Some(claims) => Ok(state.store.user_by_id(&claims.sub).await?),
        None => Ok(None),
    }
}

fn is_safe(method: &Method) -> bool {
    matches!(*method, Method::GET | Method::HEAD | Method::OPTIONS)
}

/// Refuses a request another site's page made the browser send (a form
/// post or script carrying our cookie): by `Sec-Fetch-Site`, or by an
/// `Origin` that is not ours.
pub fn refuse_cross_site(state: &AppState, headers: &HeaderMap) -> Result<(), AppError> {
    let refused = || AppError::Forbidden("Cross-site request refused".into());
    let header = |name| {
        headers
            .get(name)
            .and_then(|value: &HeaderValue| value.to_str().ok())
    };
    if matches!(header("sec-fetch-site"), Some("cross-site" | "same-site")) {
        return Err(refused());
    }
    let Some(origin) = header(ORIGIN.as_str()) else {
        return Ok(());
    };
    let origin_authority = origin.split_once("://").map(|(_, authority)| authority);
    if origin.trim_end_matches('/') == state.settings.base_url || origin_authority == header(HOST.as_str()) {
        Ok(())
    } else {
        Err(refused())
    }
}
