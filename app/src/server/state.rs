use std::sync::Arc;

use super::auth::AuthKeys;
use super::error::AppError;
use super::platforms::PlatformRegistry;
use super::recordings::RecordingStorage;
use super::services::room_lock::RoomLocks;
use super::services::webhooks::PresenceWriter;
use super::settings::Settings;
use super::store::Store;

/// What every service needs: handed to REST handlers as axum state and to
/// server functions as Leptos context.
#[derive(Clone)]
pub struct AppState {
    pub store: Store,
    pub settings: Arc<Settings>,
    pub auth: Arc<AuthKeys>,
    pub platforms: Arc<PlatformRegistry>,
    pub room_locks: Arc<RoomLocks>,
    /// Our copies of recordings.
    pub recording_storage: RecordingStorage,
    /// Wakes this process's idle workers when it queues a job.
    pub job_wakeup: Arc<tokio::sync::Notify>,
    /// Batches webhook joins and leaves into shared transactions.
    pub presence_writer: Arc<PresenceWriter>,
}

impl AppState {
    pub fn new(store: Store, settings: Settings) -> Result<Self, String> {
        let auth = AuthKeys::from_settings(&settings)?;
        let platforms = PlatformRegistry::from_settings(&settings);
        let recording_storage = RecordingStorage::open(&settings.recordings.target)?;
        Ok(AppState {
            store,
            settings: Arc::new(settings),
            auth: Arc::new(auth),
            platforms: Arc::new(platforms),
            room_locks: Arc::default(),
            recording_storage,
            job_wakeup: Arc::default(),
            presence_writer: Arc::default(),
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
