use axum::http::HeaderMap;

pub const SESSION_COOKIE: &str = "reflector_session";

/// The login cookie: HttpOnly (no script reads it), SameSite=Lax (not sent
/// with cross-site form posts), Secure when the site is served over https.
pub fn session_cookie(token: &str, max_age_seconds: i64, secure: bool) -> String {
    let secure = if secure { "; Secure" } else { "" };
    format!("{SESSION_COOKIE}={token}; Path=/; HttpOnly; SameSite=Lax; Max-Age={max_age_seconds}{secure}")
}

pub fn cleared_session_cookie(secure: bool) -> String {
    session_cookie("", 0, secure)
}

pub fn read_cookie<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers
        .get_all(axum::http::header::COOKIE)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(|value| value.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(key, _)| *key == name)
        .map(|(_, value)| value)
        .filter(|value| !value.is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_the_session_among_other_cookies() {
        let mut headers = HeaderMap::new();
        headers.insert("cookie", "a=1; reflector_session=tok.en; b=2".parse().unwrap());
        assert_eq!(read_cookie(&headers, SESSION_COOKIE), Some("tok.en"));
        assert_eq!(read_cookie(&headers, "missing"), None);
        let cookie = session_cookie("x", 60, true);
        assert!(cookie.contains("HttpOnly") && cookie.contains("SameSite=Lax") && cookie.ends_with("Secure"));
    }
}
