//! Which platforms are down right now, as this process saw them: a platform
//! whose meeting creation failed for a reason that is not ours (unreachable,
//! too slow, 5xx) is skipped for a cool-down, so the visitors after the
//! first do not each wait for its timeout; once the cool-down is over one
//! creation tries it again while the others keep skipping it.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use super::PlatformError;
use crate::types::Platform;

pub struct PlatformHealth {
    cooldown: Duration,
    down: Mutex<HashMap<Platform, Down>>,
}

struct Down {
    since: Instant,
    reason: String,
    /// When one caller may try it again.
    next_try: Instant,
}

impl PlatformHealth {
    pub fn new(cooldown: Duration) -> Self {
        PlatformHealth {
            cooldown,
            down: Mutex::new(HashMap::new()),
        }
    }

    /// Why `platform` is skipped now, if it is. Once its cool-down is over,
    /// the caller answered `None` is the one trying it again: the others
    /// skip it for another cool-down unless that try succeeds first.
    pub fn skipped(&self, platform: Platform) -> Option<String> {
        let mut down = self.down.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        let entry = down.get_mut(&platform)?;
        let now = Instant::now();
        if now >= entry.next_try {
            entry.next_try = now + self.cooldown;
            return None;
        }
        Some(format!(
            "{} ({} s ago; not tried again for {} s)",
            entry.reason,
            entry.since.elapsed().as_secs(),
            (entry.next_try - now).as_secs().max(1)
        ))
    }

    pub fn failed(&self, platform: Platform, reason: String) {
        let mut down = self.down.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        down.insert(
            platform,
            Down {
                since: Instant::now(),
                reason,
                next_try: Instant::now() + self.cooldown,
            },
        );
    }

    pub fn succeeded(&self, platform: Platform) {
        let mut down = self.down.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        down.remove(&platform);
    }
}

/// Whether the platform itself is failing (worth trying another one), as
/// opposed to a refusal of what we asked (a configuration error to show).
pub fn is_outage(error: &PlatformError) -> bool {
    match error {
        PlatformError::Timeout(_) | PlatformError::Unreachable(..) | PlatformError::BadResponse(..) => true,
        PlatformError::Upstream { status, .. } => *status >= 500 || *status == 429,
        PlatformError::NotConfigured(_) | PlatformError::Unsupported(..) => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_failed_platform_is_skipped_for_the_cooldown_then_tried_again() {
        let health = PlatformHealth::new(Duration::from_millis(50));
        assert_eq!(health.skipped(Platform::Daily), None);
        health.failed(Platform::Daily, "Daily answered 503".into());
        assert!(health
            .skipped(Platform::Daily)
            .unwrap()
            .starts_with("Daily answered 503"));
        assert_eq!(health.skipped(Platform::Whereby), None);
        std::thread::sleep(Duration::from_millis(60));
        assert_eq!(
            health.skipped(Platform::Daily),
            None,
            "tried again after the cool-down"
        );
        assert!(
            health.skipped(Platform::Daily).is_some(),
            "by one caller: the others keep skipping it meanwhile"
        );
        health.failed(Platform::Daily, "again".into());
        health.succeeded(Platform::Daily);
        assert_eq!(health.skipped(Platform::Daily), None);
    }

    #[test]
    fn only_the_platforms_own_failures_are_outages() {
        let upstream = |status| PlatformError::Upstream {
            platform: Platform::Daily,
            status,
            kind: None,
            message: String::new(),
        };
        assert!(is_outage(&upstream(503)));
        assert!(is_outage(&upstream(429)));
        assert!(is_outage(&PlatformError::Timeout(Platform::Daily)));
        assert!(is_outage(&PlatformError::Unreachable(
            Platform::Daily,
            "refused".into()
        )));
        assert!(!is_outage(&upstream(400)));
        assert!(!is_outage(&upstream(401)));
        assert!(!is_outage(&PlatformError::NotConfigured(
            "set DAILY_API_KEY".into()
        )));
    }
}
