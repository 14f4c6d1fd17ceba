use leptos::prelude::*;

use crate::types::ApiError;

/// Signs in with a password and keeps the token in an HttpOnly cookie, then
/// sends the browser to `next` (a path on this site) or the start page.
#[server(endpoint = "login")]
pub async fn login(email: String, password: String, next: Option<String>) -> Result<(), ApiError> {
    use crate::server::auth::cookie::session_cookie;
    use crate::server::auth::ClientKey;
    use crate::server::{services, AppState};
    use crate::types::LoginRequest;

    let state = AppState::from_context()?;
    let parts = super::context::request_parts().await?;
    let ClientKey(client) = ClientKey::of(&parts);
    let answer = services::auth::login(&state, &client, &LoginRequest { email, password }).await?;
    super::context::set_cookie(&session_cookie(
        &answer.access_token,
        answer.expires_in,
        state.served_over_https(),
    ));
    leptos_axum::redirect(&safe_next(next.as_deref()));
    Ok(())
}

#[server(endpoint = "logout")]
pub async fn logout() -> Result<(), ApiError> {
    use crate::server::auth::cookie::cleared_session_cookie;
    use crate::server::AppState;

    let state = AppState::from_context()?;
    super::context::set_cookie(&cleared_session_cookie(state.served_over_https()));
    leptos_axum::redirect("/");
    Ok(())
}

/// Only local paths: `//host` and absolute URLs would send the user elsewhere.
pub fn safe_next(next: Option<&str>) -> String {
    match next {
        Some(path) if path.starts_with('/') && !path.starts_with("//") && !path.contains('\\') => {
            path.to_owned()
        }
        _ => "/".to_owned(),
    }
}
