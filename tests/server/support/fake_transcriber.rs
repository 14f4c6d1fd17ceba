//! An OpenAI-compatible transcription service on loopback that answers from
//! a script (a status, garbage, or a transcript of one sentence per piece),
//! and keeps what each request carried.

use std::collections::VecDeque;
use std::sync::{Arc, Mutex};

use axum::extract::{Multipart, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use axum::Router;
use serde_json::json;

#[derive(Debug, Clone)]
pub enum Reply {
    Status(u16),
    Garbage,
    /// 200 with this sentence from 0.5 s to 1.5 s of the piece.
    Said(&'static str),
}

#[derive(Debug, Clone, Default)]
pub struct Asked {
    pub fields: Vec<(String, String)>,
    pub file_bytes: usize,
    /// Seconds of samples in the WAV sent (its `data` chunk).
    pub seconds: f64,
    pub authorization: Option<String>,
}

#[derive(Clone, Default)]
pub struct FakeTranscriber {
    script: Arc<Mutex<VecDeque<Reply>>>,
    pub asked: Arc<Mutex<Vec<Asked>>>,
}

impl FakeTranscriber {
    pub async fn start() -> (FakeTranscriber, String) {
        let fake = FakeTranscriber::default();
        let router = Router::new()
            .route("/v1/audio/transcriptions", post(answer))
            .layer(axum::extract::DefaultBodyLimit::max(64 << 20))
            .with_state(fake.clone());
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let address = listener.local_addr().unwrap();
        tokio::spawn(async move { axum::serve(listener, router).await.unwrap() });
        (fake, format!("http://{address}"))
    }

    pub fn script(&self, replies: &[Reply]) {
        self.script.lock().unwrap().extend(replies.iter().cloned());
    }

    pub fn asked(&self) -> Vec<Asked> {
        self.asked.lock().unwrap().clone()
    }
}

async fn answer(
    State(fake): State<FakeTranscriber>,
    headers: axum::http::HeaderMap,
    mut form: Multipart,
) -> Response {
    let mut asked = Asked {
        authorization: headers
            .get("authorization")
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned),
        ..Asked::default()
    };
    while let Ok(Some(field)) = form.next_field().await {
        let name = field.name().unwrap_or_default().to_owned();
        let bytes = field.bytes().await.unwrap_or_default();
        if name == "file" {
            asked.file_bytes = bytes.len();
            asked.seconds = wav_seconds(&bytes);
        } else {
            asked
                .fields
                .push((name, String::from_utf8_lossy(&bytes).into_owned()));
        }
    }
    let duration = asked.seconds;
    fake.asked.lock().unwrap().push(asked);
    let reply = fake
        .script
        .lock()
        .unwrap()
        .pop_front()
        .unwrap_or(Reply::Said("fine"));
    match reply {
        Reply::Status(status) => (
            StatusCode::from_u16(status).unwrap(),
            axum::Json(json!({"error": {"message": format!("scripted {status}")}})),
        )
            .into_response(),
        Reply::Garbage => (StatusCode::OK, "<html>not json</html>").into_response(),
        Reply::Said(sentence) => {
            let words: Vec<_> = sentence
                .split_whitespace()
                .enumerate()
                .map(|(i, w)| json!({"word": w, "start": 0.5 + i as f64 * 0.1, "end": 0.6 + i as f64 * 0.1}))
                .collect();
            axum::Json(json!({
                "task": "transcribe", "language": "en", "duration": duration, "text": sentence,
                "segments": [{"id": 0, "start": 0.5, "end": 1.5, "text": format!(" {sentence}")}],
                "words": words,
            }))
            .into_response()
        }
    }
}

fn wav_seconds(wav: &[u8]) -> f64 {
    let Some(at) = wav.windows(4).position(|w| w == b"data") else {
        return 0.0;
    };
    let size = u32::from_le_bytes(wav[at + 4..at + 8].try_into().unwrap());
    f64::from(size) / 32_000.0
}
