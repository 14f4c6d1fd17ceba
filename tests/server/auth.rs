use app::server::auth::tokens::AccessClaims;
use app::server::services;
use app::server::store::testing::every_backend;
use axum::http::StatusCode;
use chrono::Utc;
use serde_json::json;

use crate::support::{json, router_for, send, state_for, test_state};

const IDP_PRIVATE_KEY: &str = include_str!("testdata/idp-test-private.pem");
const IDP_PUBLIC_KEY: &str = include_str!("testdata/idp-test-public.pem");

fn login_body(email: &str, password: &str) -> serde_json::Value {
    json!({ "email": email, "password": password })
}

#[tokio::test]
async fn login_issues_a_token_that_identifies_the_user() {
    for store in every_backend().await {
        let state = state_for(store, &[]);
        let user = services::users::ensure_password_user(&state, "Ada@Example.com", "analytical engine")
            .await
            .unwrap();
        let router = router_for(state);

        let (status, body) = send(
            &router,
            "POST",
            "/v1/auth/login",
            &[],
            Some(&login_body("ada@example.com", "analytical engine")),
        )
        .await;
        assert_eq!(status, StatusCode::OK, "{body}");
        let answer = json(&body);
        assert_eq!(answer["token_type"], "bearer");
        assert_eq!(answer["expires_in"], 86_400);
        let bearer = format!("Bearer {}", answer["access_token"].as_str().unwrap());

        let (status, body) = send(&router, "GET", "/v1/me", &[("authorization", &bearer)], None).await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(json(&body), json!({ "sub": user.id, "email": "ada@example.com" }));

        let (_, body) = send(&router, "GET", "/v1/me", &[], None).await;
        assert_eq!(json(&body), serde_json::Value::Null);
    }
}

/// On a runtime with one thread, a login's password check must leave that
/// thread free: another task keeps running while the hash is computed.
#[tokio::test(flavor = "current_thread")]
async fn a_login_never_holds_up_the_async_workers() {
    let state = test_state(&[]).await;
    let user = services::users::ensure_password_user(&state, "ada@example.com", "analytical engine")
        .await
        .unwrap();
    let hash = state
        .store
        .user_by_subject(&user.subject)
        .await
        .unwrap()
        .unwrap()
        .password_hash
        .unwrap();
    let started = std::time::Instant::now();
    assert!(app::server::auth::password::verify_password(
        "analytical engine",
        &hash
    ));
    let one_hash = started.elapsed();

    // A hash on this thread would pause the loop below for all of its time
    // in every login; the machine's own hiccups do not hit three logins alike.
    let mut pauses = Vec::new();
    for _ in 0..3 {
        let request = app::types::LoginRequest {
            email: "ada@example.com".into(),
            password: "analytical engine".into(),
        };
        let login = tokio::spawn({
            let state = state.clone();
            async move { services::auth::login(&state, "127.0.0.1", &request).await }
        });
        let mut longest_wait = std::time::Duration::ZERO;
        let mut last = std::time::Instant::now();
        while !login.is_finished() {
            tokio::task::yield_now().await;
            longest_wait = longest_wait.max(last.elapsed());
            last = std::time::Instant::now();
        }
        assert!(login.await.unwrap().is_ok());
        pauses.push(longest_wait);
    }
    let shortest = pauses.iter().min().copied().unwrap_or_default();
    assert!(
        shortest < one_hash / 2,
        "the only worker waited {pauses:?} in three logins while a hash takes {one_hash:?}"
    );
}

#[tokio::test]
async fn wrong_credentials_get_one_message() {
    let state = test_state(&[]).await;
    services::users::ensure_password_user(&state, "ada@example.com", "analytical engine")
        .await
        .unwrap();
    let router = router_for(state);
    for body in [
        login_body("ada@example.com", "wrong password"),
        login_body("nobody@example.com", "whatever it is"),
    ] {
        let (status, answer) = send(&router, "POST", "/v1/auth/login", &[], Some(&body)).await;
        assert_eq!(status, StatusCode::UNAUTHORIZED);
        assert_eq!(json(&answer)["detail"], "Invalid email or password");
    }
}

#[tokio::test]
async fn eleventh_login_attempt_in_five_minutes_is_429() {
    let state = test_state(&[]).await;
    services::users::ensure_password_user(&state, "ada@example.com", "analytical engine")
        .await
        .unwrap();
    let router = router_for(state);
    for attempt in 1..=10 {
        let (status, _) = send(
            &router,
            "POST",
            "/v1/auth/login",
            &[],
            Some(&login_body("ada@example.com", "nope nope")),
        )
        .await;
        assert_eq!(status, StatusCode::UNAUTHORIZED, "attempt {attempt}");
    }
    let (status, body) = send(
        &router,
        "POST",
        "/v1/auth/login",
        &[],
        Some(&login_body("ada@example.com", "analytical engine")),
    )
    .await;
    assert_eq!(status, StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(json(&body)["detail"], "Too many login attempts. Try again later.");
}

#[tokio::test]
async fn expired_and_tampered_tokens_are_401() {
    let state = test_state(&[]).await;
    let user = state
        .store
        .upsert_user("local:ada@example.com", "ada@example.com", None)
        .await
        .unwrap();
    let now = Utc::now().timestamp();
    let expired = state
        .auth
        .tokens
        .sign(&AccessClaims {
            sub: user.id.clone(),
            email: user.email.clone(),
            iat: now - 100,
            exp: now - 1,
        })
        .unwrap();
    let valid = state.auth.tokens.issue(&user).unwrap();
    let tampered = format!("{}x", valid);
    let foreign =
        app::server::auth::tokens::TokenKeys::new(&app::server::secret::Secret::new("z".repeat(40)), 60)
            .issue(&user)
            .unwrap();
    let router = router_for(state);
    for token in [expired, tampered, foreign, "a.b.c".to_owned()] {
        let bearer = format!("Bearer {token}");
        let (status, body) = send(&router, "GET", "/v1/me", &[("authorization", &bearer)], None).await;
        assert_eq!(status, StatusCode::UNAUTHORIZED, "{token}: {body}");
    }
    let (status, _) = send(&router, "GET", "/v1/me", &[("authorization", "Basic abc")], None).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    let bearer = format!("Bearer {valid}");
    let (status, _) = send(&router, "GET", "/v1/me", &[("authorization", &bearer)], None).await;
    assert_eq!(status, StatusCode::OK);
}

#[tokio::test]
async fn api_keys_authenticate_and_are_shown_once() {
    for store in every_backend().await {
        let state = state_for(store, &[]);
        let user = state
            .store
            .upsert_user("local:ada@example.com", "ada@example.com", None)
            .await
            .unwrap();
        let bearer = format!("Bearer {}", state.auth.tokens.issue(&user).unwrap());
        let router = router_for(state);

        let (status, body) = send(
            &router,
            "POST",
            "/v1/user/api-keys",
            &[("authorization", &bearer)],
            Some(&json!({"name": "ci"})),
        )
        .await;
        assert_eq!(status, StatusCode::OK, "{body}");
        let created = json(&body);
        let key = created["key"].as_str().unwrap().to_owned();
        assert_eq!(created["user_id"], user.id.as_str());
        assert_eq!(created["name"], "ci");

        let (status, body) = send(&router, "GET", "/v1/me", &[("x-api-key", &key)], None).await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(json(&body)["sub"], user.id.as_str());

        let (_, listing) = send(&router, "GET", "/v1/user/api-keys", &[("x-api-key", &key)], None).await;
        assert!(!listing.contains(&key), "the plaintext key is never listed");
        assert_eq!(json(&listing).as_array().unwrap().len(), 1);

        let path = format!("/v1/user/api-keys/{}", created["id"].as_str().unwrap());
        let (status, _) = send(&router, "DELETE", &path, &[("authorization", &bearer)], None).await;
        assert_eq!(status, StatusCode::OK);
        let (status, body) = send(&router, "GET", "/v1/me", &[("x-api-key", &key)], None).await;
        assert_eq!(
            status,
            StatusCode::UNAUTHORIZED,
            "a deleted key stops working: {body}"
        );
    }
}

#[tokio::test]
async fn credentials_of_two_users_are_refused() {
    let state = test_state(&[]).await;
    let ada = state
        .store
        .upsert_user("local:ada@example.com", "ada@example.com", None)
        .await
        .unwrap();
    let bob = state
        .store
        .upsert_user("local:bob@example.com", "bob@example.com", None)
        .await
        .unwrap();
    let bob_key = services::api_keys::create(
        &state,
        &app::server::auth::Caller::signed_in(bob),
        &app::types::CreateApiKey { name: None },
    )
    .await
    .unwrap()
    .key;
    let ada_bearer = format!("Bearer {}", state.auth.tokens.issue(&ada).unwrap());
    let router = router_for(state);
    let (status, body) = send(
        &router,
        "GET",
        "/v1/me",
        &[("authorization", &ada_bearer), ("x-api-key", &bob_key)],
        None,
    )
    .await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    assert_eq!(
        json(&body)["detail"],
        "The request carries credentials of different users"
    );
}

#[tokio::test]
async fn cookie_sessions_refuse_cross_site_writes() {
    let state = test_state(&[]).await;
    let ada = state
        .store
        .upsert_user("local:ada@example.com", "ada@example.com", None)
        .await
        .unwrap();
    let cookie = format!("reflector_session={}", state.auth.tokens.issue(&ada).unwrap());
    let router = router_for(state);
    let body = json!({ "name": "from a page" });

    let (status, _) = send(&router, "GET", "/v1/me", &[("cookie", &cookie)], None).await;
    assert_eq!(status, StatusCode::OK);
    let cross_site = [
        ("cookie", cookie.as_str()),
        ("origin", "https://evil.example"),
        ("host", "127.0.0.1:3000"),
    ];
    let (status, answer) = send(&router, "POST", "/v1/user/api-keys", &cross_site, Some(&body)).await;
    assert_eq!(status, StatusCode::FORBIDDEN, "{answer}");
    let fetch_meta = [("cookie", cookie.as_str()), ("sec-fetch-site", "cross-site")];
    let (status, _) = send(&router, "POST", "/v1/user/api-keys", &fetch_meta, Some(&body)).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let same_site = [
        ("cookie", cookie.as_str()),
        ("origin", "http://127.0.0.1:3000"),
        ("host", "127.0.0.1:3000"),
    ];
    let (status, answer) = send(&router, "POST", "/v1/user/api-keys", &same_site, Some(&body)).await;
    assert_eq!(status, StatusCode::OK, "{answer}");

    let stale = [("cookie", "reflector_session=garbage")];
    let (status, body) = send(&router, "GET", "/v1/me", &stale, None).await;
    assert_eq!(
        (status, json(&body)),
        (StatusCode::OK, serde_json::Value::Null),
        "a stale cookie is just anonymous"
    );
}

#[tokio::test]
async fn admin_bootstrap_is_idempotent_and_follows_the_password() {
    for store in every_backend().await {
        let first_state = state_for(
            store.clone(),
            &[
                ("ADMIN_EMAIL", "Boss@Example.com"),
                ("ADMIN_PASSWORD", "first password"),
            ],
        );
        let first = services::users::bootstrap_admin(&first_state)
            .await
            .unwrap()
            .unwrap();
        let again = services::users::bootstrap_admin(&first_state)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(first, again, "a second start changes nothing");
        assert_eq!(first.email, "boss@example.com");

        let changed_state = state_for(
            store,
            &[
                ("ADMIN_EMAIL", "boss@example.com"),
                ("ADMIN_PASSWORD", "second password"),
            ],
        );
        let changed = services::users::bootstrap_admin(&changed_state)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(changed.id, first.id);
        let router = router_for(changed_state);
        let (old, _) = send(
            &router,
            "POST",
            "/v1/auth/login",
            &[],
            Some(&login_body("boss@example.com", "first password")),
        )
        .await;
        let (new, _) = send(
            &router,
            "POST",
            "/v1/auth/login",
            &[],
            Some(&login_body("boss@example.com", "second password")),
        )
        .await;
        assert_eq!((old, new), (StatusCode::UNAUTHORIZED, StatusCode::OK));
    }
}

fn idp_token(claims: serde_json::Value) -> String {
    let key = jsonwebtoken::EncodingKey::from_rsa_pem(IDP_PRIVATE_KEY.as_bytes()).unwrap();
    jsonwebtoken::encode(
        &jsonwebtoken::Header::new(jsonwebtoken::Algorithm::RS256),
        &claims,
        &key,
    )
    .unwrap()
}

#[tokio::test]
async fn identity_provider_tokens_create_the_user_on_first_sight() {
    for store in every_backend().await {
        let state = state_for(
            store,
            &[
                ("AUTH_BACKEND", "jwt"),
                ("AUTH_JWT_PUBLIC_KEY", IDP_PUBLIC_KEY),
                ("AUTH_JWT_AUDIENCE", "reflector"),
            ],
        );
        let router = router_for(state.clone());
        let exp = Utc::now().timestamp() + 600;
        let good = idp_token(
            json!({ "sub": "idp-123", "email": "grace@example.com", "aud": "reflector", "exp": exp }),
        );
        let bearer = format!("Bearer {good}");
        let (status, body) = send(&router, "GET", "/v1/me", &[("authorization", &bearer)], None).await;
        assert_eq!(status, StatusCode::OK, "{body}");
        let me = json(&body);
        assert_eq!(me["email"], "grace@example.com");
        let stored = state.store.user_by_subject("idp-123").await.unwrap().unwrap();
        assert_eq!(me["sub"], stored.id.as_str());
        let (_, again) = send(&router, "GET", "/v1/me", &[("authorization", &bearer)], None).await;
        assert_eq!(
            json(&again)["sub"],
            stored.id.as_str(),
            "the same user the second time"
        );

        for (claims, why) in [
            (
                json!({ "sub": "idp-9", "aud": "reflector", "exp": exp }),
                "no email",
            ),
            (
                json!({ "sub": "idp-9", "email": "x@example.com", "aud": "other", "exp": exp }),
                "wrong audience",
            ),
            (
                json!({ "sub": "idp-9", "email": "x@example.com", "aud": "reflector", "exp": exp - 4000 }),
                "expired",
            ),
        ] {
            let bearer = format!("Bearer {}", idp_token(claims));
            let (status, body) = send(&router, "GET", "/v1/me", &[("authorization", &bearer)], None).await;
            assert_eq!(status, StatusCode::UNAUTHORIZED, "{why}: {body}");
        }
        let (status, _) = send(
            &router,
            "POST",
            "/v1/auth/login",
            &[],
            Some(&login_body("grace@example.com", "whatever!")),
        )
        .await;
        assert_eq!(
            status,
            StatusCode::NOT_FOUND,
            "no password login with an identity provider"
        );
    }
}

#[tokio::test]
async fn login_server_function_sets_an_http_only_cookie() {
    let state = test_state(&[]).await;
    services::users::ensure_password_user(&state, "ada@example.com", "analytical engine")
        .await
        .unwrap();
    let router = router_for(state);
    let request = axum::http::Request::post("/api/login")
        .header("content-type", "application/x-www-form-urlencoded")
        .body(axum::body::Body::from(
            "email=ada%40example.com&password=analytical+engine&next=%2F%2Fevil.example",
        ))
        .unwrap();
    let response = tower::ServiceExt::oneshot(router.clone(), request).await.unwrap();
    let cookie = response
        .headers()
        .get("set-cookie")
        .expect("a cookie")
        .to_str()
        .unwrap()
        .to_owned();
    assert!(cookie.starts_with("reflector_session="), "{cookie}");
    assert!(
        cookie.contains("HttpOnly") && cookie.contains("SameSite=Lax"),
        "{cookie}"
    );
    assert_eq!(
        response.headers().get("location").map(|v| v.to_str().unwrap()),
        Some("/"),
        "no open redirect"
    );

    let session = cookie.split(';').next().unwrap().to_owned();
    let (status, body) = send(&router, "GET", "/v1/me", &[("cookie", &session)], None).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(json(&body)["email"], "ada@example.com");
}

/// Posts the login form; answers the status and the redirect target.
async fn login_form(
    router: &axum::Router,
    fields: &str,
    headers: &[(&str, &str)],
) -> (StatusCode, Option<String>) {
    login_form_to(router, "/api/login", fields, headers).await
}

#[tokio::test]
async fn login_sends_the_browser_only_to_paths_of_this_site() {
    let state = test_state(&[]).await;
    services::users::ensure_password_user(&state, "ada@example.com", "analytical engine")
        .await
        .unwrap();
    let router = router_for(state);
    let credentials = "email=ada%40example.com&password=analytical+engine";
    // Each decodes to something a browser would resolve to another site.
    for next in [
        "%2F%09%2Fevil.example",
        "%2F%0A%2Fevil.example",
        "%2F%5Cevil.example",
        "https%3A%2F%2Fevil.example",
        "%2F%2Fevil.example",
    ] {
        let (_, location) = login_form(&router, &format!("{credentials}&next={next}"), &[]).await;
        assert_eq!(location.as_deref(), Some("/"), "next={next}");
    }
    let (_, location) = login_form(&router, &format!("{credentials}&next=%2Frooms%3Ftab%3Dmine"), &[]).await;
    assert_eq!(location.as_deref(), Some("/rooms?tab=mine"));
}

#[tokio::test]
async fn another_sites_page_cannot_log_anyone_in_or_out() {
    let state = test_state(&[]).await;
    services::users::ensure_password_user(&state, "ada@example.com", "analytical engine")
        .await
        .unwrap();
    let router = router_for(state);
    let credentials = "email=ada%40example.com&password=analytical+engine";
    for headers in [
        vec![("origin", "https://evil.example")],
        vec![("sec-fetch-site", "cross-site")],
        vec![
            ("origin", "https://evil.example"),
            ("sec-fetch-site", "cross-site"),
        ],
    ] {
        let (status, _) = login_form(&router, credentials, &headers).await;
        assert_eq!(status, StatusCode::FORBIDDEN, "login {headers:?}");
        let (status, _) = login_form_to(&router, "/api/logout", "", &headers).await;
        assert_eq!(status, StatusCode::FORBIDDEN, "logout {headers:?}");
    }
    let ours = [
        ("origin", "http://127.0.0.1:3000"),
        ("sec-fetch-site", "same-origin"),
    ];
    let (status, location) = login_form(&router, credentials, &ours).await;
    assert!(status.is_redirection() || status.is_success(), "{status}");
    assert_eq!(location.as_deref(), Some("/"));
}

async fn login_form_to(
    router: &axum::Router,
    path: &str,
    fields: &str,
    headers: &[(&str, &str)],
) -> (StatusCode, Option<String>) {
    let mut request =
        axum::http::Request::post(path).header("content-type", "application/x-www-form-urlencoded");
    for (name, value) in headers {
        request = request.header(*name, *value);
    }
    let response = tower::ServiceExt::oneshot(
        router.clone(),
        request.body(axum::body::Body::from(fields.to_owned())).unwrap(),
    )
    .await
    .unwrap();
    let location = response
        .headers()
        .get("location")
        .map(|value| value.to_str().unwrap().to_owned());
    (response.status(), location)
}

/// Behind a proxy listed in `TRUSTED_PROXIES`, each client is limited on its
/// own address from `X-Forwarded-For`; from anywhere else the header counts
/// for nothing (a client cannot pick a fresh key per attempt).
#[tokio::test]
async fn the_login_limit_keys_on_the_real_client() {
    for (trusted, separate_clients) in [("127.0.0.1", true), ("", false)] {
        let state = test_state(&[("TRUSTED_PROXIES", trusted)]).await;
        let address = crate::support::serve_on_loopback(router_for(state)).await;
        let client = reqwest::Client::new();
        let attempt = |forwarded_for: &'static str| {
            let client = client.clone();
            async move {
                client
                    .post(format!("http://{address}/v1/auth/login"))
                    .header("x-forwarded-for", forwarded_for)
                    .json(&login_body("nobody@example.com", "wrong password"))
                    .send()
                    .await
                    .unwrap()
                    .status()
            }
        };
        for _ in 0..10 {
            assert_eq!(attempt("203.0.113.1").await, StatusCode::UNAUTHORIZED);
        }
        assert_eq!(attempt("203.0.113.1").await, StatusCode::TOO_MANY_REQUESTS);
        let other = attempt("203.0.113.2").await;
        if separate_clients {
            assert_eq!(other, StatusCode::UNAUTHORIZED, "another client behind the proxy");
        } else {
            assert_eq!(
                other,
                StatusCode::TOO_MANY_REQUESTS,
                "a forged header changes nothing"
            );
        }
    }
}
