use std::collections::BTreeMap;
use std::sync::Arc;

use super::{DailyClient, JitsiClient, LiveKitClient, PlatformError, VideoPlatform, WherebyClient};
use crate::server::settings::Settings;
use crate::types::Platform;

type Built = Result<Arc<dyn VideoPlatform>, PlatformError>;

/// Every platform client this server can build, from the settings. A
/// platform without credentials stays listed with the reason it cannot work.
pub struct PlatformRegistry {
    clients: BTreeMap<&'static str, Built>,
    daily: Result<Arc<DailyClient>, PlatformError>,
    whereby: Result<Arc<WherebyClient>, PlatformError>,
    mock_enabled: bool,
}

impl PlatformRegistry {
    pub fn from_settings(settings: &Settings) -> Self {
        let timeout = std::time::Duration::from_secs(settings.platform_timeout_seconds);
        let daily = DailyClient::from_settings(&settings.daily, timeout).map(Arc::new);
        let whereby = WherebyClient::from_settings(&settings.whereby, timeout).map(Arc::new);
        let mut clients: BTreeMap<&'static str, Built> = BTreeMap::new();
        // One line per platform.
        clients.insert(Platform::Whereby.as_str(), whereby.clone().map(|c| c as _));
        clients.insert(Platform::Daily.as_str(), daily.clone().map(|c| c as _));
        clients.insert(
            Platform::LiveKit.as_str(),
            LiveKitClient::from_settings(settings.livekit.as_ref(), timeout).map(|c| Arc::new(c) as _),
        );
        clients.insert(
            Platform::Jitsi.as_str(),
            JitsiClient::from_settings(&settings.jitsi).map(|c| Arc::new(c) as _),
        );
        if settings.mock_platform_enabled {
            clients.insert(
                Platform::Mock.as_str(),
                Ok(Arc::new(super::mock::MockPlatform::new(&settings.base_url))),
            );
        }
        PlatformRegistry {
            clients,
            daily,
            whereby,
            mock_enabled: settings.mock_platform_enabled,
        }
    }

    /// The client for `platform`, or why there is none (503 material).
    pub fn client(&self, platform: Platform) -> Result<Arc<dyn VideoPlatform>, PlatformError> {
        match self.clients.get(platform.as_str()) {
            Some(built) => built.clone(),
            None => Err(PlatformError::NotConfigured(format!(
                "The {} platform is not enabled on this server",
                platform.label()
            ))),
        }
    }

    /// Daily's own operations beyond the common trait (recordings, tokens).
    pub fn daily(&self) -> Result<Arc<DailyClient>, PlatformError> {
        self.daily.clone()
    }

    /// Whereby's own operations beyond the common trait (recording links).
    pub fn whereby(&self) -> Result<Arc<WherebyClient>, PlatformError> {
        self.whereby.clone()
    }

    /// Platforms a room may be set to: the real ones always (their
    /// credentials can come later), the mock one only when enabled.
    pub fn selectable(&self) -> Vec<Platform> {
        Platform::ALL
            .iter()
            .copied()
            .filter(|platform| *platform != Platform::Mock || self.mock_enabled)
            .collect()
    }

    pub fn is_configured(&self, platform: Platform) -> bool {
        matches!(self.clients.get(platform.as_str()), Some(Ok(_)))
    }
}
