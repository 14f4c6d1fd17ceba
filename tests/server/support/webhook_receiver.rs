//! A room webhook receiver on loopback: keeps every request it gets (headers
//! and body) and answers from a script the test sets: a status (with a
//! `Retry-After` if asked), or no answer at all (hangs); 200 once the
//! script runs out.

use std::collections::VecDeque;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};

use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use axum::Router;
use hmac::{Hmac, Mac};
use serde_json::Value;
use sha2::Sha256;

#[derive(Debug, Clone)]
pub enum Answer {
    Status(u16),
    RetryAfter(u16, &'static str),
    Hang,
}

#[derive(Debug, Clone)]
pub struct Received {
    pub headers: HeaderMap,
    pub body: Bytes,
}

impl Received {
    pub fn json(&self) -> Value {
        serde_json::from_slice(&self.body).expect("a JSON body")
    }

    pub fn header(&self, name: &str) -> &str {
        self.headers
            .get(name)
            .and_then(|value| value.to_str().ok())
            .unwrap_or_default()
    }

    /// Whether `X-Webhook-Signature` is `t=<unix>,v1=<hex HMAC-SHA256(secret, "t.body")>`
    /// for this body, verified as a receiver would.
    pub fn signed_with(&self, secret: &str) -> bool {
        let signature = self.header("x-webhook-signature");
        let mut timestamp = None;
        let mut given = None;
        for part in signature.split(',') {
            match part.split_once('=') {
                Some(("t", value)) => timestamp = Some(value),
                Some(("v1", value)) => given = Some(value),
                _ => {}
            }
        }
        let (Some(timestamp), Some(given)) = (timestamp, given) else {
            return false;
        };
        let Ok(given) = hex::decode(given) else {
            return false;
        };
        let mut mac = Hmac::<Sha256>::new_from_slice(secret.as_bytes()).unwrap();
        mac.update(timestamp.as_bytes());
        mac.update(b".");
        mac.update(&self.body);
        mac.verify_slice(&given).is_ok()
    }
}

#[derive(Clone, Default)]
pub struct WebhookReceiver {
    script: Arc<Mutex<VecDeque<Answer>>>,
    received: Arc<Mutex<Vec<Received>>>,
}

impl WebhookReceiver {
    /// Starts on `127.0.0.1:port` (0: any free port); answers its URL.
    pub async fn start_on(port: u16) -> (WebhookReceiver, String) {
        let receiver = WebhookReceiver::default();
        let router = Router::new()
            .route("/hook", post(receive))
            .with_state(receiver.clone());
        let listener = tokio::net::TcpListener::bind(("127.0.0.1", port)).await.unwrap();
        let address: SocketAddr = listener.local_addr().unwrap();
        tokio::spawn(async move { axum::serve(listener, router).await.unwrap() });
        (receiver, format!("http://{address}/hook"))
    }

    pub async fn start() -> (WebhookReceiver, String) {
        Self::start_on(0).await
    }

    /// The next answers, in order.
    pub fn script(&self, answers: &[Answer]) {
        self.script.lock().unwrap().extend(answers.iter().cloned());
    }

    pub fn received(&self) -> Vec<Received> {
        self.received.lock().unwrap().clone()
    }

    /// The `event` of each request, in the order they came.
    pub fn events(&self) -> Vec<String> {
        self.received()
            .iter()
            .map(|request| request.json()["event"].as_str().unwrap_or_default().to_owned())
            .collect()
    }
}

async fn receive(State(receiver): State<WebhookReceiver>, headers: HeaderMap, body: Bytes) -> Response {
    receiver.received.lock().unwrap().push(Received { headers, body });
    let answer = receiver.script.lock().unwrap().pop_front();
    match answer {
        None => (StatusCode::OK, "thanks").into_response(),
        Some(Answer::Status(status)) => (
            StatusCode::from_u16(status).unwrap(),
            format!("answered {status}"),
        )
            .into_response(),
        Some(Answer::RetryAfter(status, after)) => (
            StatusCode::from_u16(status).unwrap(),
            [("retry-after", after)],
            "slow down",
        )
            .into_response(),
        Some(Answer::Hang) => {
            tokio::time::sleep(std::time::Duration::from_secs(3600)).await;
            StatusCode::OK.into_response()
        }
    }
}
