//! The de-facto standard transcription API, `POST /v1/audio/transcriptions`
//! (OpenAI, Groq, speaches / faster-whisper-server, whisper.cpp's server):
//! multipart `file`, `model`, `language`, `response_format=verbose_json`,
//! `timestamp_granularities[]=word` and `segment`, bearer key.

use async_trait::async_trait;
use reqwest::multipart::{Form, Part};
use serde::Deserialize;

use super::{Heard, HeardSegment, Transcriber, TranscriptionError};
use crate::server::secret::Secret;
use crate::server::settings::TranscriptionSettings;
use crate::types::Word;

pub struct OpenAiTranscriber {
    client: reqwest::Client,
    endpoint: String,
    api_key: Option<Secret>,
    model: String,
    language: Option<String>,
}

impl OpenAiTranscriber {
    pub fn new(settings: &TranscriptionSettings) -> Self {
        OpenAiTranscriber {
            client: reqwest::Client::builder()
                .connect_timeout(std::time::Duration::from_secs(10))
                .timeout(settings.timeout)
                .build()
                .expect("an HTTP client with timeouts"),
            endpoint: format!("{}/v1/audio/transcriptions", settings.url),
            api_key: settings.api_key.clone(),
            model: settings.model.clone(),
            language: settings.language.clone(),
        }
    }
}

#[derive(Deserialize)]
struct VerboseJson {
    #[serde(default)]
    language: Option<String>,
    #[serde(default)]
    duration: Option<f64>,
    #[serde(default)]
    text: String,
    #[serde(default)]
    segments: Vec<ApiSegment>,
    #[serde(default)]
    words: Vec<ApiWord>,
}

#[derive(Deserialize)]
struct ApiSegment {
    start: f64,
    end: f64,
    text: String,
}

#[derive(Deserialize)]
struct ApiWord {
    word: String,
    start: f64,
    end: f64,
}

#[async_trait]
impl Transcriber for OpenAiTranscriber {
    async fn transcribe(&self, wav: Vec<u8>, file_name: &str) -> Result<Heard, TranscriptionError> {
        let file = Part::bytes(wav)
            .file_name(file_name.to_owned())
            .mime_str("audio/wav")
            .expect("a valid MIME type");
        let mut form = Form::new()
            .part("file", file)
            .text("model", self.model.clone())
            .text("response_format", "verbose_json")
            .text("timestamp_granularities[]", "word")
            .text("timestamp_granularities[]", "segment");
        if let Some(language) = &self.language {
            form = form.text("language", language.clone());
        }
        let mut request = self.client.post(&self.endpoint).multipart(form);
        if let Some(key) = &self.api_key {
            request = request.bearer_auth(key.expose());
        }
        let response = request.send().await.map_err(|error| {
            TranscriptionError::Unavailable(if error.is_timeout() {
                "no answer in time (TRANSCRIPTION_TIMEOUT_SECONDS)".into()
            } else {
                format!("could not be reached: {}", error.without_url())
            })
        })?;
        let status = response.status();
        let body = response.bytes().await.map_err(|error| {
            TranscriptionError::Unavailable(format!("the answer was cut off: {}", error.without_url()))
        })?;
        if !status.is_success() {
            let said = error_message(&body);
            let why = format!("{} {said}", status.as_u16());
            return Err(match status.as_u16() {
                408 | 429 | 500..=599 => TranscriptionError::Unavailable(why.trim().to_owned()),
                _ => TranscriptionError::Refused(why.trim().to_owned()),
            });
        }
        let answer: VerboseJson = serde_json::from_slice(&body).map_err(|error| {
            TranscriptionError::Unavailable(format!("the answer is not the expected JSON: {error}"))
        })?;
        Ok(heard(answer))
    }
}

/// `{"error": {"message": …}}`, or the start of whatever came back.
fn error_message(body: &[u8]) -> String {
    #[derive(Deserialize)]
    struct Wrapped {
        error: Inner,
    }
    #[derive(Deserialize)]
    struct Inner {
        message: String,
    }
    match serde_json::from_slice::<Wrapped>(body) {
        Ok(wrapped) => wrapped.error.message,
        Err(_) => String::from_utf8_lossy(&body[..body.len().min(200)]).into_owned(),
    }
}

/// Words go into the segment they fall in; a service that gives no
/// segments gets one for the whole text.
fn heard(answer: VerboseJson) -> Heard {
    let mut segments: Vec<HeardSegment> = answer
        .segments
        .into_iter()
        .map(|segment| HeardSegment {
            start: segment.start,
            end: segment.end,
            text: segment.text.trim().to_owned(),
            words: Vec::new(),
        })
        .collect();
    if segments.is_empty() && !answer.text.trim().is_empty() {
        segments.push(HeardSegment {
            start: answer.words.first().map_or(0.0, |w| w.start),
            end: answer
                .words
                .last()
                .map_or(answer.duration.unwrap_or(0.0), |w| w.end),
            text: answer.text.trim().to_owned(),
            words: Vec::new(),
        });
    }
    for word in answer.words {
        let middle = (word.start + word.end) / 2.0;
        let home = segments
            .iter()
            .position(|segment| middle < segment.end)
            .unwrap_or(segments.len().saturating_sub(1));
        if let Some(segment) = segments.get_mut(home) {
            segment.words.push(Word {
                text: word.word.trim().to_owned(),
                start: word.start,
                end: word.end,
            });
        }
    }
    segments.retain(|segment| !segment.text.is_empty());
    Heard {
        language: answer.language,
        duration: answer.duration,
        segments,
    }
}
