//! A calendar server on loopback: serves an ICS feed the test changes at
//! will, with an ETag (answering 304 to a request that has the current
//! one), and counts what it answered.

use std::net::SocketAddr;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use axum::extract::State;
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use sha2::{Digest, Sha256};

#[derive(Clone, Default)]
pub struct CalendarServer {
    feed: Arc<Mutex<String>>,
    pub full_answers: Arc<AtomicUsize>,
    pub not_modified_answers: Arc<AtomicUsize>,
}

impl CalendarServer {
    /// Starts serving on `ip` (any free port); answers the feed's URL.
    pub async fn start(ip: &str, feed: &str) -> (CalendarServer, String) {
        let server = CalendarServer::default();
        server.set(feed);
        let router = Router::new()
            .route("/calendar.ics", get(answer))
            .with_state(server.clone());
        let listener = tokio::net::TcpListener::bind(format!("{ip}:0")).await.unwrap();
        let address: SocketAddr = listener.local_addr().unwrap();
        tokio::spawn(async move { axum::serve(listener, router).await.unwrap() });
        (server, format!("http://{address}/calendar.ics"))
    }

    pub fn set(&self, feed: &str) {
        *self.feed.lock().unwrap() = feed.to_owned();
    }

    pub fn full(&self) -> usize {
        self.full_answers.load(Ordering::SeqCst)
    }

    pub fn not_modified(&self) -> usize {
        self.not_modified_answers.load(Ordering::SeqCst)
    }
}

async fn answer(State(server): State<CalendarServer>, headers: HeaderMap) -> Response {
    let feed = server.feed.lock().unwrap().clone();
    let etag = format!("\"{}\"", hex::encode(&Sha256::digest(feed.as_bytes())[..8]));
    if headers.get(header::IF_NONE_MATCH).and_then(|v| v.to_str().ok()) == Some(etag.as_str()) {
        server.not_modified_answers.fetch_add(1, Ordering::SeqCst);
        return (StatusCode::NOT_MODIFIED, [(header::ETAG, etag)]).into_response();
    }
    server.full_answers.fetch_add(1, Ordering::SeqCst);
    (
        [
            (header::CONTENT_TYPE, "text/calendar; charset=utf-8".to_owned()),
            (header::ETAG, etag),
        ],
        feed,
    )
        .into_response()
}

/// An ICS feed of the given VEVENT blocks.
pub fn feed(events: &[String]) -> String {
    let mut text = String::from("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Reflector Rooms tests//EN\r\n");
    for event in events {
        text.push_str(event);
    }
    text.push_str("END:VCALENDAR\r\n");
    text
}

/// A VEVENT from `start` for `minutes`, naming `location`.
pub fn event(
    uid: &str,
    title: &str,
    start: chrono::DateTime<chrono::Utc>,
    minutes: i64,
    location: &str,
    extra: &str,
) -> String {
    let stamp = |at: chrono::DateTime<chrono::Utc>| at.format("%Y%m%dT%H%M%SZ").to_string();
    format!(
        "BEGIN:VEVENT\r\nUID:{uid}\r\nDTSTAMP:{}\r\nDTSTART:{}\r\nDTEND:{}\r\nSUMMARY:{title}\r\nLOCATION:{location}\r\nDESCRIPTION:Agenda for {title}\r\nATTENDEE;CN=Ann;PARTSTAT=ACCEPTED:mailto:ann@example.com\r\n{extra}END:VEVENT\r\n",
        stamp(start),
        stamp(start),
        stamp(start + chrono::Duration::minutes(minutes)),
    )
}
