//! The guarded client for users' URLs: no private or local addresses (as
//! literals, behind names, or at the end of a redirect) unless allowed;
//! bounded in size and time.

use std::net::IpAddr;
use std::time::Duration;

use app::server::user_urls::{AddressPolicy, FetchError, Fetched, UserUrls, Validators};
use axum::http::{header, StatusCode};
use axum::response::IntoResponse;
use axum::routing::get;
use axum::Router;

use crate::support::calendar_server::{feed, CalendarServer};

fn refused(outcome: Result<Fetched, FetchError>) -> String {
    match outcome {
        Err(FetchError::Refused(why)) => why,
        other => panic!("expected a refusal, got {other:?}"),
    }
}

async fn serve(ip: &str, router: Router) -> String {
    let listener = tokio::net::TcpListener::bind(format!("{ip}:0")).await.unwrap();
    let address = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, router).await.unwrap() });
    format!("http://{address}")
}

#[tokio::test]
async fn private_and_local_addresses_are_refused_unless_allowed() {
    let (_server, url) = CalendarServer::start("127.0.0.1", &feed(&[])).await;
    let port = url
        .split(':')
        .nth(2)
        .unwrap()
        .split('/')
        .next()
        .unwrap()
        .to_owned();
    let guarded = UserUrls::new(
        AddressPolicy::from_setting(false),
        Duration::from_secs(5),
        1 << 20,
    );
    let none = Validators::default();
    for target in [
        url.clone(),
        format!("http://[::1]:{port}/calendar.ics"),
        "http://10.1.2.3/calendar.ics".to_owned(),
        "http://169.254.169.254/latest/meta-data/".to_owned(),
        "http://0.0.0.0/".to_owned(),
    ] {
        let why = refused(guarded.get(&target, &none).await);
        assert!(why.contains("private network"), "{target}: {why}");
    }
    let why = refused(
        guarded
            .get(&format!("http://localhost:{port}/calendar.ics"), &none)
            .await,
    );
    assert!(
        why.contains("localhost resolves to"),
        "a name is checked on what it resolves to: {why}"
    );

    let open = UserUrls::new(AddressPolicy::from_setting(true), Duration::from_secs(5), 1 << 20);
    assert!(
        matches!(open.get(&url, &none).await, Ok(Fetched::Body { .. })),
        "ALLOW_PRIVATE_NETWORK_URLS"
    );
}

/// 127.0.0.2 plays a public server here (a rule that calls it public); it
/// redirects to 127.0.0.1, which stays private.
#[tokio::test]
async fn a_redirect_to_a_private_address_is_refused() {
    let (_private, private_url) = CalendarServer::start("127.0.0.1", &feed(&[])).await;
    let private_port = private_url
        .split(':')
        .nth(2)
        .unwrap()
        .split('/')
        .next()
        .unwrap()
        .to_owned();
    let to_literal = private_url.clone();
    let to_name = format!("http://localhost:{private_port}/calendar.ics");
    let public = serve(
        "127.0.0.2",
        Router::new()
            .route("/feed.ics", get(|| async { ([(header::CONTENT_TYPE, "text/calendar")], feed(&[])) }))
            .route("/moved", get(move || async move { (StatusCode::FOUND, [(header::LOCATION, to_literal)]).into_response() }))
            .route("/renamed", get(move || async move { (StatusCode::FOUND, [(header::LOCATION, to_name)]).into_response() })),
    )
    .await;
    let public_ip: IpAddr = "127.0.0.2".parse().unwrap();
    let guarded = UserUrls::new(
        AddressPolicy::custom(move |ip| ip == public_ip),
        Duration::from_secs(5),
        1 << 20,
    );
    let none = Validators::default();
    assert!(matches!(
        guarded.get(&format!("{public}/feed.ics"), &none).await,
        Ok(Fetched::Body { .. })
    ));
    let why = refused(guarded.get(&format!("{public}/moved"), &none).await);
    assert!(why.contains("127.0.0.1"), "{why}");
    let why = refused(guarded.get(&format!("{public}/renamed"), &none).await);
    assert!(why.contains("resolves to"), "{why}");
}

#[tokio::test]
async fn answers_are_bounded_in_size_and_time() {
    let big = serve(
        "127.0.0.1",
        Router::new()
            .route("/big", get(|| async { vec![b'x'; 2 << 20] }))
            .route(
                "/slow",
                get(|| async {
                    tokio::time::sleep(Duration::from_secs(30)).await;
                    "late"
                }),
            ),
    )
    .await;
    let guarded = UserUrls::new(AddressPolicy::from_setting(true), Duration::from_secs(1), 1 << 20);
    let none = Validators::default();
    assert_eq!(
        guarded.get(&format!("{big}/big"), &none).await,
        Err(FetchError::TooLarge(1 << 20))
    );
    assert_eq!(
        guarded.get(&format!("{big}/slow"), &none).await,
        Err(FetchError::Timeout(1))
    );
}

/// A POST (room webhooks): redirects are answers, not followed; the answer
/// is kept as a preview of at most 1 KB without NULs; `Retry-After` is read
/// as seconds or as an HTTP date.
#[tokio::test]
async fn a_post_follows_no_redirect_and_keeps_a_bounded_preview() {
    use axum::routing::post;
    let later = httpdate::fmt_http_date(std::time::SystemTime::now() + Duration::from_secs(90));
    let receiver = serve(
        "127.0.0.1",
        Router::new()
            .route(
                "/moved",
                post(|| async { (StatusCode::MOVED_PERMANENTLY, [(header::LOCATION, "/hook")]) }),
            )
            .route("/hook", post(|| async { "reached" }))
            .route("/long", post(|| async { "ab\0c".repeat(1000) }))
            .route(
                "/busy",
                post(move || {
                    let later = later.clone();
                    async move { (StatusCode::SERVICE_UNAVAILABLE, [(header::RETRY_AFTER, later)]) }
                }),
            ),
    )
    .await;
    let guarded = UserUrls::new(AddressPolicy::from_setting(true), Duration::from_secs(5), 1 << 20);
    let timeout = Duration::from_secs(5);
    let posted = |path: &'static str| {
        let (guarded, url) = (&guarded, format!("{receiver}{path}"));
        async move {
            guarded
                .post(&url, Default::default(), b"{}".to_vec(), timeout)
                .await
                .unwrap()
        }
    };
    assert_eq!(posted("/moved").await.status, 301);
    let long = posted("/long").await;
    assert_eq!(long.status, 200);
    assert_eq!(long.preview.len(), 1024 - 1024 / 4, "1 KB read, its NULs dropped");
    assert!(!long.preview.contains('\0'));
    let busy = posted("/busy").await;
    assert_eq!(busy.status, 503);
    let wait = busy.retry_after_seconds.unwrap();
    assert!((85..=90).contains(&wait), "{wait}");
}

/// Through the API: a calendar on a private address, with the setting off,
/// is refused and the room's owner reads why.
#[tokio::test]
async fn a_calendar_on_a_private_address_is_refused_in_words() {
    let (_server, url) = CalendarServer::start("127.0.0.1", &feed(&[])).await;
    let api =
        crate::support::TestApi::new(crate::support::test_state(&[("ENABLE_MOCK_PLATFORM", "true")]).await);
    let owner = api.user("owner@example.com").await;
    api.call(
        "POST",
        "/v1/rooms",
        Some(&owner),
        Some(serde_json::json!({"name": "guarded", "platform": "mock", "ics_url": url, "ics_enabled": true})),
    )
    .await;
    let (status, result) = api
        .call("POST", "/v1/rooms/guarded/ics/sync", Some(&owner), None)
        .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(result["status"], "error");
    assert!(
        result["error"]
            .as_str()
            .unwrap()
            .contains("ALLOW_PRIVATE_NETWORK_URLS"),
        "{result}"
    );
}
