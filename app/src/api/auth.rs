use leptos::prelude::*;

use crate::types::ApiError;

/// Signs in with a password and keeps the token in an HttpOnly cookie, then
/// sends the browser to `next` (a path on this site) or the start page.
/// Another site's page cannot post it (login CSRF would sign a victim in as
/// the attacker).
#[server(endpoint = "login")]
pub async fn login(email: String, password: String, next: Option<String>) -> Result<(), ApiError> {
    use crate::server::auth::cookie::session_cookie;
    use crate::server::auth::{refuse_cross_site, ClientKey};
    use crate::server::services::auth::same_site_path;
    use crate::server::{services, AppState};
    use crate::types::LoginRequest;

    let state = AppState::from_context()?;
    let parts = super::context::request_parts().await?;
    refuse_cross_site(&state, &parts.headers)?;
    let ClientKey(client) = ClientKey::of(&parts, &state.settings.trusted_proxies);
    let answer = services::auth::login(&state, &client, &LoginRequest { email, password }).await?;
    super::context::set_cookie(&session_cookie(
        &answer.access_token,
        answer.expires_in,
        state.served_over_https(),
    ));
    leptos_axum::redirect(&same_site_path(next.as_deref()));
    Ok(())
}

#[server(endpoint = "logout")]
pub async fn logout() -> Result<(), ApiError> {
    use crate::server::auth::cookie::cleared_session_cookie;
    use crate::server::auth::refuse_cross_site;
    use crate::server::AppState;

    let state = AppState::from_context()?;
    let parts = super::context::request_parts().await?;
    refuse_cross_site(&state, &parts.headers)?;
    super::context::set_cookie(&cleared_session_cookie(state.served_over_https()));
    leptos_axum::redirect("/");
    Ok(())
}
