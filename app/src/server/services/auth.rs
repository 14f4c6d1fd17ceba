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
    let stored = user.and_then(|user| user.password_hash.clone().map(|hash| (user, hash)));
    // Argon2 takes tens of milliseconds of CPU: off the async workers, so a
    // burst of logins never stalls other requests.
    let password = request.password.clone();
    let hash = stored.as_ref().map(|(_, hash)| hash.clone());
    let matches = tokio::task::spawn_blocking(move || match hash {
        Some(hash) => verify_password(&password, &hash),
        None => {
            verify_against_nothing(&password);
            false
        }
    })
    .await
    .map_err(AppError::internal)?;
    let Some((user, _)) = stored.filter(|_| matches) else {
        return Err(refused());
    };
    Ok(LoginResponse {
        access_token: state.auth.tokens.issue(&user)?,
        token_type: "bearer".into(),
        expires_in: state.auth.tokens.ttl_seconds(),
    })
}

/// Where a login may send the browser next: a path on this site, or the
/// start page. Parsed as a browser would (which drops tabs and newlines and
/// reads `\\` as `/`) against a fixed origin, and refused unless it stays there.
pub fn same_site_path(next: Option<&str>) -> String {
    let Some(next) = next else {
        return "/".to_owned();
    };
    let plain = next.starts_with('/')
        && !next.starts_with("//")
        && !next
            .chars()
            .any(|c| c.is_control() || c.is_whitespace() || c == '\\');
    let stays_here = url::Url::parse("http://this.site/")
        .and_then(|here| here.join(next))
        .is_ok_and(|target| target.scheme() == "http" && target.host_str() == Some("this.site"));
    if plain && stays_here {
        next.to_owned()
    } else {
        "/".to_owned()
    }
}

pub fn me(caller: &Caller) -> Option<Me> {
    caller.user().map(|user| Me {
        sub: user.id.clone(),
        email: Some(user.email.clone()),
    })
}

#[cfg(test)]
mod tests {
    use super::same_site_path;

    #[test]
    fn next_stays_on_this_site() {
        for good in ["/", "/rooms", "/rooms?tab=mine#top", "/my-room/abc"] {
            assert_eq!(same_site_path(Some(good)), good, "{good}");
        }
        let attempts = [
            "//evil.example",
            "/\t/evil.example",
            "/\n/evil.example",
            "/\\evil.example",
            "\\\\evil.example",
            "https://evil.example/",
            "javascript:alert(1)",
            " /rooms",
            "rooms",
            "/\u{0}/x",
            "",
        ];
        for bad in attempts {
            assert_eq!(same_site_path(Some(bad)), "/", "{bad:?}");
        }
        assert_eq!(same_site_path(None), "/");
    }
}
