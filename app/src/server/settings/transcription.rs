use std::time::Duration;

use super::env_reader::EnvReader;
use crate::server::secret::Secret;

/// Which transcription service turns stored recordings into transcripts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TranscriptionBackend {
    /// Recordings stay recordings (the default).
    None,
    /// `POST {TRANSCRIPTION_URL}/v1/audio/transcriptions`: OpenAI, Groq,
    /// speaches / faster-whisper-server, whisper.cpp's server, …
    OpenAi,
}

#[derive(Debug, Clone)]
pub struct TranscriptionSettings {
    /// `TRANSCRIPTION_BACKEND`: `none` or `openai`.
    pub backend: TranscriptionBackend,
    /// `TRANSCRIPTION_URL`: the service's base URL (`https://api.openai.com`).
    pub url: String,
    /// `TRANSCRIPTION_API_KEY`: sent as a bearer token when set.
    pub api_key: Option<Secret>,
    /// `TRANSCRIPTION_MODEL`: `whisper-1`, `whisper-large-v3`, …
    pub model: String,
    /// `TRANSCRIPTION_LANGUAGE`: a language code, or empty to let the
    /// service recognise it.
    pub language: Option<String>,
    /// `TRANSCRIPTION_MAX_UPLOAD_BYTES`: audio is sent in pieces below this
    /// (OpenAI takes 25 MB).
    pub max_upload_bytes: u64,
    /// `TRANSCRIPTION_TIMEOUT_SECONDS`: one piece's request, from connecting
    /// to the whole answer.
    pub timeout: Duration,
}

impl TranscriptionSettings {
    pub(super) fn read(env: &mut EnvReader<'_>) -> Self {
        let backend = match env.string("TRANSCRIPTION_BACKEND", "none").trim() {
            "none" | "" => TranscriptionBackend::None,
            "openai" => TranscriptionBackend::OpenAi,
            other => {
                env.problem(format!(
                    "TRANSCRIPTION_BACKEND: expected none or openai, got '{other}'"
                ));
                TranscriptionBackend::None
            }
        };
        let url = env.string("TRANSCRIPTION_URL", "https://api.openai.com");
        let url = url.trim().trim_end_matches('/').to_owned();
        if backend == TranscriptionBackend::OpenAi
            && !(url.starts_with("http://") || url.starts_with("https://"))
        {
            env.problem(format!("TRANSCRIPTION_URL: expected an http(s) URL, got '{url}'"));
        }
        let language = env.string("TRANSCRIPTION_LANGUAGE", "").trim().to_owned();
        TranscriptionSettings {
            backend,
            url,
            api_key: env.secret("TRANSCRIPTION_API_KEY"),
            model: env.string("TRANSCRIPTION_MODEL", "whisper-1"),
            language: (!language.is_empty()).then_some(language),
            max_upload_bytes: env
                .parsed("TRANSCRIPTION_MAX_UPLOAD_BYTES", 25_000_000u64)
                .clamp(64_000, 1 << 30),
            timeout: Duration::from_secs(env.parsed("TRANSCRIPTION_TIMEOUT_SECONDS", 600u64).clamp(5, 7200)),
        }
    }
}
