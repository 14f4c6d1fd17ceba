//! Speech to text: one small trait over the transcription services a
//! deployer may choose (`TRANSCRIPTION_BACKEND`), and the audio preparation
//! (ffmpeg) that turns a stored recording into pieces a service accepts.

pub mod audio;
mod openai;

use async_trait::async_trait;

pub use openai::OpenAiTranscriber;

use crate::server::settings::{TranscriptionBackend, TranscriptionSettings};
use crate::types::Word;

/// What a service heard in one piece of audio, in seconds from the piece's start.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Heard {
    pub language: Option<String>,
    pub duration: Option<f64>,
    pub segments: Vec<HeardSegment>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct HeardSegment {
    pub start: f64,
    pub end: f64,
    pub text: String,
    pub words: Vec<Word>,
}

/// Why a piece could not be transcribed.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum TranscriptionError {
    /// Busy, unreachable, timed out, or a server error: try again later.
    #[error("the transcription service is unavailable: {0}")]
    Unavailable(String),
    /// The service refused this audio or our credentials: trying again
    /// changes nothing.
    #[error("the transcription service refused the audio: {0}")]
    Refused(String),
}

#[async_trait]
pub trait Transcriber: Send + Sync {
    /// Transcribes one piece of audio (a WAV file's bytes).
    async fn transcribe(&self, wav: Vec<u8>, file_name: &str) -> Result<Heard, TranscriptionError>;
}

/// The configured service, if any.
pub fn from_settings(settings: &TranscriptionSettings) -> Option<std::sync::Arc<dyn Transcriber>> {
    match settings.backend {
        TranscriptionBackend::None => None,
        TranscriptionBackend::OpenAi => Some(std::sync::Arc::new(OpenAiTranscriber::new(settings))),
    }
}
