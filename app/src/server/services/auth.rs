use crate::server::auth::password::{verify_against_nothing, verify_password};
use crate::server::auth::Caller;
use crate::server::settings::AuthBackend;
use crate::server::{AppError, AppState};
use crate::types::{LoginRequest, LoginResponse, Me};

pub const LOCAL_SUBJECT_PREFIX: &str = "local:";

pub fn local_subject(email: &str) -> String {
    format!("{LOCAL_SUBJECT_PREFIX}{}", normalize_email(email))
}

pub fn normalize_email(email: &str) -> String {
    email.trim().to_lowercase()
}

/// Checks a password login and issues a token. `client` identifies the
/// requester for the attempt limit (10 per 5 minutes).
pub async fn login(
    state: &AppState,
    client: &str,
    request: &LoginRequest,
) -> Result<LoginResponse, AppError> {
    if state.settings.auth.backend != AuthBackend::Password {
        return Err(AppError::NotFound(
            "Password login is not enabled: this server signs users in through its identity provider".into(),
        ));
    }
    if !state.auth.login_limiter.allow(client) {
        return Err(AppError::TooManyRequests(
            "Too many login attempts. Try again later.".into(),
        ));
    }
    let refused = || AppError::Unauthorized("Invalid email or password".into());
    let user = state
        .store
        .user_by_subject(&local_subject(&request.email))
        .await?;
    let Some((user, hash)) = user.and_then(|user| user.password_hash.clone().map(|hash| (user, hash))) else {
        verify_against_nothing(&request.password);
        return Err(refused());
    };
    if !verify_password(&request.password, &hash) {
        return Err(refused());
    }
    Ok(LoginResponse {
        access_token: state.auth.tokens.issue(&user)?,
        token_type: "bearer".into(),
        expires_in: state.auth.tokens.ttl_seconds(),
    })
}

pub fn me(caller: &Caller) -> Option<Me> {
    caller.user().map(|user| Me {
        sub: user.id.clone(),
        email: Some(user.email.clone()),
    })
}
