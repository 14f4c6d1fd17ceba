//! Routers over fresh databases, requests with credentials, and fake
//! platforms on loopback: what the test files share.

pub mod calendar_server;
pub mod daily_bucket;
pub mod fake_platforms;
pub mod fake_transcriber;
pub mod webhook_receiver;

use std::collections::HashMap;

use app::server::settings::Settings;
use app::server::store::testing::sqlite_store;
use app::server::store::Store;
use app::server::AppState;
use axum::body::Body;
use axum::http::{Request, StatusCode};
use axum::Router;
use http_body_util::BodyExt;
use leptos::prelude::LeptosOptions;
use serde_json::Value;
use tower::ServiceExt;

use reflector::router::build_router;

pub fn test_settings(overrides: &[(&str, &str)]) -> Settings {
    let dir = std::env::temp_dir().join(format!("reflector-http-test-{}", uuid::Uuid::new_v4().simple()));
    let mut vars: HashMap<String, String> = HashMap::from([
        ("DATA_DIR".to_owned(), dir.display().to_string()),
        (
            "SECRET_KEY".to_owned(),
            "test-secret-key-that-is-long-enough-000".to_owned(),
        ),
    ]);
    vars.extend(overrides.iter().map(|(k, v)| (k.to_string(), v.to_string())));
    Settings::from_lookup(&move |name| vars.get(name).cloned()).expect("test settings")
}

pub fn state_for(store: Store, overrides: &[(&str, &str)]) -> AppState {
    AppState::new(store, test_settings(overrides)).expect("test state")
}

pub async fn test_state(overrides: &[(&str, &str)]) -> AppState {
    state_for(sqlite_store().await, overrides)
}

pub fn router_for(state: AppState) -> Router {
    let options = LeptosOptions::builder()
        .output_name("reflector")
        .site_root("target/site")
        .build();
    build_router(state, options)
}

pub async fn test_router() -> Router {
    router_for(test_state(&[]).await)
}

/// A request with exactly these body bytes (signed webhooks); answers the
/// status and the body.
pub async fn send_bytes(
    router: &Router,
    uri: &str,
    headers: &[(&str, &str)],
    body: &[u8],
) -> (StatusCode, String) {
    let mut request = Request::builder().method("POST").uri(uri);
    for (name, value) in headers {
        request = request.header(*name, *value);
    }
    let response = router
        .clone()
        .oneshot(request.body(Body::from(body.to_vec())).unwrap())
        .await
        .unwrap();
    let status = response.status();
    let bytes = response.into_body().collect().await.unwrap().to_bytes();
    (status, String::from_utf8_lossy(&bytes).into_owned())
}

/// One request through the whole router; answers the status and the body.
pub async fn send(
    router: &Router,
    method: &str,
    uri: &str,
    headers: &[(&str, &str)],
    body: Option<&Value>,
) -> (StatusCode, String) {
    let mut request = Request::builder().method(method).uri(uri);
    for (name, value) in headers {
        request = request.header(*name, *value);
    }
    if body.is_some() {
        request = request.header("content-type", "application/json");
    }
    let body = body
        .map(|value| Body::from(value.to_string()))
        .unwrap_or_default();
    let response = router.clone().oneshot(request.body(body).unwrap()).await.unwrap();
    let status = response.status();
    let bytes = response.into_body().collect().await.unwrap().to_bytes();
    (status, String::from_utf8_lossy(&bytes).into_owned())
}

pub fn json(text: &str) -> Value {
    serde_json::from_str(text).unwrap_or_else(|error| panic!("not JSON ({error}): {text}"))
}

/// A router plus the state behind it, with helpers to make users and call
/// the API as them.
#[derive(Clone)]
pub struct TestApi {
    pub state: AppState,
    pub router: Router,
}

impl TestApi {
    pub fn new(state: AppState) -> Self {
        TestApi {
            router: router_for(state.clone()),
            state,
        }
    }

    /// A new user; answers the `Authorization` header value to act as them.
    pub async fn user(&self, email: &str) -> String {
        let user = self
            .state
            .store
            .upsert_user(&format!("local:{email}"), email, None)
            .await
            .unwrap();
        format!("Bearer {}", self.state.auth.tokens.issue(&user).unwrap())
    }

    pub async fn call(
        &self,
        method: &str,
        uri: &str,
        auth: Option<&str>,
        body: Option<Value>,
    ) -> (StatusCode, Value) {
        let headers: Vec<(&str, &str)> = auth.map(|value| ("authorization", value)).into_iter().collect();
        let (status, text) = send(&self.router, method, uri, &headers, body.as_ref()).await;
        let value = if text.is_empty() { Value::Null } else { json(&text) };
        (status, value)
    }

    /// Calls a server function as the browser does (JSON arguments, session
    /// cookie); answers the status and the JSON body.
    pub async fn server_fn(&self, name: &str, auth: Option<&str>, args: Value) -> (StatusCode, Value) {
        let cookie = auth.map(|auth| format!("reflector_session={}", auth.trim_start_matches("Bearer ")));
        let mut headers = vec![("origin", "http://127.0.0.1:3000"), ("host", "127.0.0.1:3000")];
        if let Some(cookie) = &cookie {
            headers.push(("cookie", cookie.as_str()));
        }
        let (status, text) = send(
            &self.router,
            "POST",
            &format!("/api/{name}"),
            &headers,
            Some(&args),
        )
        .await;
        (status, serde_json::from_str(&text).unwrap_or(Value::Null))
    }
}

/// Serves `router` on a loopback port over real TCP (for tests about what
/// happens on the wire: hang-ups, compression); answers its address.
pub async fn serve_on_loopback(router: Router) -> std::net::SocketAddr {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    tokio::spawn(async move {
        axum::serve(
            listener,
            router.into_make_service_with_connect_info::<std::net::SocketAddr>(),
        )
        .await
        .unwrap();
    });
    address
}

/// Writes one HTTP/1.1 POST to `address` and closes the connection at once,
/// as a platform does whose own timeout ran out.
pub async fn post_and_hang_up(
    address: std::net::SocketAddr,
    path: &str,
    headers: &[(String, String)],
    body: &[u8],
) {
    use tokio::io::AsyncWriteExt;
    let mut stream = tokio::net::TcpStream::connect(address).await.unwrap();
    let mut head = format!(
        "POST {path} HTTP/1.1\r\nhost: {address}\r\ncontent-type: application/json\r\ncontent-length: {}\r\n",
        body.len()
    );
    for (name, value) in headers {
        head.push_str(&format!("{name}: {value}\r\n"));
    }
    head.push_str("\r\n");
    stream.write_all(head.as_bytes()).await.unwrap();
    stream.write_all(body).await.unwrap();
    stream.flush().await.unwrap();
    drop(stream);
}

/// The `reflector` binary running as a process of its own, on a free
/// loopback port, with exactly the given settings.
pub struct ServerProcess {
    child: tokio::process::Child,
    pub base_url: String,
    _workdir: tempfile::TempDir,
}

impl ServerProcess {
    /// Starts `reflector serve` and waits until it answers `/health`.
    pub async fn start(settings: &[(&str, &str)]) -> Self {
        let port = {
            let probe = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
            probe.local_addr().unwrap().port()
        };
        let workdir = tempfile::tempdir().unwrap();
        let mut command = tokio::process::Command::new(env!("CARGO_BIN_EXE_reflector"));
        command
            .current_dir(workdir.path())
            .env_clear()
            .env("LEPTOS_SITE_ADDR", format!("127.0.0.1:{port}"))
            .env("DATA_DIR", workdir.path())
            .env("SECRET_KEY", "test-secret-key-that-is-long-enough-000")
            .env("RUST_LOG", "warn")
            .envs(settings.iter().copied())
            .kill_on_drop(true);
        let child = command.spawn().expect("start the reflector binary");
        let base_url = format!("http://127.0.0.1:{port}");
        let client = reqwest::Client::new();
        for _ in 0..300 {
            if client.get(format!("{base_url}/health")).send().await.is_ok() {
                return ServerProcess {
                    child,
                    base_url,
                    _workdir: workdir,
                };
            }
            tokio::time::sleep(std::time::Duration::from_millis(50)).await;
        }
        panic!("reflector did not start on port {port}");
    }

    /// SIGKILL: no shutdown, no cleanup, as a crash or an OOM kill.
    pub async fn kill(mut self) {
        self.child.start_kill().unwrap();
        self.child.wait().await.unwrap();
    }
}
