use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::{Platform, RecordingStatus};

/// A meeting's recording as its room's owner sees it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct RecordingView {
    pub id: String,
    pub meeting_id: Option<String>,
    pub platform: Option<Platform>,
    #[serde(deserialize_with = "super::timestamp::deserialize")]
    pub recorded_at: DateTime<Utc>,
    /// pending → processing → completed, or failed with `error` saying why.
    pub status: RecordingStatus,
    pub error: Option<String>,
    pub size_bytes: Option<i64>,
    /// Hex SHA-256 of our stored copy.
    pub sha256: Option<String>,
    /// Where the owner downloads our copy, once stored.
    pub download_url: Option<String>,
    /// Its transcript, once one is queued (with a transcription service).
    pub transcript_id: Option<String>,
    pub transcript_status: Option<super::TranscriptStatus>,
}
