use std::sync::Arc;

use super::auth::AuthKeys;
use super::error::AppError;
use super::platforms::PlatformRegistry;
use super::recordings::RecordingStorage;
use super::services::single_flight::SingleFlight;
use super::services::webhooks::PresenceWriter;
use super::settings::Settings;
use super::store::Store;
use crate::types::Meeting;

/// What every service needs: handed to REST handlers as axum state and to
/// server functions as Leptos context.
#[derive(Clone)]
pub struct AppState {
    pub store: Store,
    pub settings: Arc<Settings>,
    pub auth: Arc<AuthKeys>,
    pub platforms: Arc<PlatformRegistry>,
    /// Meeting creations running in this process, by room.
    pub meeting_creations: Arc<SingleFlight<Meeting>>,
    /// Our copies of recordings.
    pub recording_storage: RecordingStorage,
    /// Wakes this process's idle workers when it queues a job.
    pub job_wakeup: Arc<tokio::sync::Notify>,
    /// Batches webhook joins and leaves into shared transactions.
    pub presence_writer: Arc<PresenceWriter>,
    /// The HTTP client that fetches recordings from their sources.
    pub downloads: reqwest::Client,
}

impl AppState {
    pub fn new(store: Store, settings: Settings) -> Result<Self, String> {
        let auth = AuthKeys::from_settings(&settings)?;
        let platforms = PlatformRegistry::from_settings(&settings);
        let recording_storage = RecordingStorage::open(&settings.recordings.target)?;
        let limits = &settings.recordings;
        // No total timeout: a large recording may take long; a stalled one
        // is caught by the read timeout, every attempt by its deadline.
        let downloads = reqwest::Client::builder()
            .connect_timeout(std::time::Duration::from_secs(limits.connect_timeout_seconds))
            .read_timeout(std::time::Duration::from_secs(limits.read_timeout_seconds))
            .build()
            .map_err(|error| format!("HTTP client: {error}"))?;
        Ok(AppState {
            store,
            settings: Arc::new(settings),
            auth: Arc::new(auth),
            platforms: Arc::new(platforms),
            meeting_creations: Arc::default(),
            recording_storage,
            job_wakeup: Arc::default(),
            presence_writer: Arc::default(),
            downloads,
        })
    }

    /// The state inside a server function.
    pub fn from_context() -> Result<Self, AppError> {
        leptos::prelude::use_context::<AppState>()
            .ok_or_else(|| AppError::internal("AppState missing from context"))
    }

    /// Whether browsers reach us over https (decides the cookie's Secure flag).
    pub fn served_over_https(&self) -> bool {
        self.settings.base_url.starts_with("https://")
    }
}
