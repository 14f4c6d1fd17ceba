use std::sync::Arc;

use super::auth::AuthKeys;
use super::error::AppError;
use super::platforms::PlatformRegistry;
use super::recordings::RecordingStorage;
use super::services::single_flight::SingleFlight;
use super::services::webhooks::PresenceWriter;
use super::settings::Settings;
use super::store::Store;
use super::transcription::Transcriber;
use super::user_urls::{AddressPolicy, UserUrls};
use crate::types::Meeting;

/// How long fetching a user's URL may take, and how much it may bring.
const USER_URL_TIMEOUT_SECONDS: u64 = 20;
const USER_URL_MAX_BYTES: usize = 5 << 20;

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
    /// The HTTP client that fetches recordings from their sources, made on
    /// first use (its TLS roots cost memory a server that never downloads
    /// should not pay).
    downloads: Arc<std::sync::OnceLock<reqwest::Client>>,
    /// Fetches the URLs users give us (calendars, webhooks), guarded.
    pub user_urls: Arc<UserUrls>,
    /// The transcription service, when one is configured.
    pub transcriber: Option<Arc<dyn Transcriber>>,
    /// Platforms this process saw failing, skipped for a cool-down.
    pub platform_health: Arc<crate::server::platforms::PlatformHealth>,
}

impl AppState {
    pub fn new(store: Store, settings: Settings) -> Result<Self, String> {
        let auth = AuthKeys::from_settings(&settings)?;
        let platforms = PlatformRegistry::from_settings(&settings);
        let recording_storage = RecordingStorage::open(&settings.recordings.target)?;
        let settings_allow_private = settings.allow_private_network_urls;
        let transcriber = super::transcription::from_settings(&settings.transcription);
        let platform_health = crate::server::platforms::PlatformHealth::new(std::time::Duration::from_secs(
            settings.platform_failure_cooldown_seconds,
        ));

        Ok(AppState {
            store,
            settings: Arc::new(settings),
            auth: Arc::new(auth),
            platforms: Arc::new(platforms),
            meeting_creations: Arc::default(),
            recording_storage,
            job_wakeup: Arc::default(),
            presence_writer: Arc::default(),
            downloads: Arc::default(),
            user_urls: Arc::new(UserUrls::new(
                AddressPolicy::from_setting(settings_allow_private),
                std::time::Duration::from_secs(USER_URL_TIMEOUT_SECONDS),
                USER_URL_MAX_BYTES,
            )),
            transcriber,
            platform_health: Arc::new(platform_health),
        })
    }

    /// The state inside a server function.
    pub fn from_context() -> Result<Self, AppError> {
        leptos::prelude::use_context::<AppState>()
            .ok_or_else(|| AppError::internal("AppState missing from context"))
    }

    /// The client for recording downloads: no total timeout (a large
    /// recording may take long), a connect timeout, and a read timeout that
    /// catches a source that stalls (each attempt also has its deadline).
    pub fn downloads(&self) -> &reqwest::Client {
        self.downloads.get_or_init(|| {
            let limits = &self.settings.recordings;
            reqwest::Client::builder()
                .connect_timeout(std::time::Duration::from_secs(limits.connect_timeout_seconds))
                .read_timeout(std::time::Duration::from_secs(limits.read_timeout_seconds))
                .build()
                .unwrap_or_default()
        })
    }

    /// Whether browsers reach us over https (decides the cookie's Secure flag).
    pub fn served_over_https(&self) -> bool {
        self.settings.base_url.starts_with("https://")
    }
}
