use std::collections::{HashMap, VecDeque};
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// Counts login attempts per client in a sliding window (in memory, per
/// process). Every attempt counts, successful or not.
pub struct LoginRateLimiter {
    max_attempts: usize,
    window: Duration,
    attempts: Mutex<HashMap<String, VecDeque<Instant>>>,
}

impl LoginRateLimiter {
    pub fn new(max_attempts: usize, window: Duration) -> Self {
        LoginRateLimiter {
            max_attempts,
            window,
            attempts: Mutex::new(HashMap::new()),
        }
    }

    /// Records an attempt by `client`; false when it is over the limit.
    pub fn allow(&self, client: &str) -> bool {
        self.allow_at(client, Instant::now())
    }

    fn allow_at(&self, client: &str, now: Instant) -> bool {
        let mut attempts = self
            .attempts
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        let window = self.window;
        attempts.retain(|_, times| {
            while times
                .front()
                .is_some_and(|first| now.duration_since(*first) >= window)
            {
                times.pop_front();
            }
            !times.is_empty()
        });
        let times = attempts.entry(client.to_owned()).or_default();
        if times.len() >= self.max_attempts {
            return false;
        }
        times.push_back(now);
        true
    }
}

impl Default for LoginRateLimiter {
    /// Ten attempts per client in five minutes.
    fn default() -> Self {
        LoginRateLimiter::new(10, Duration::from_secs(300))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn eleventh_attempt_in_the_window_is_refused_until_it_slides() {
        let limiter = LoginRateLimiter::default();
        let start = Instant::now();
        for _ in 0..10 {
            assert!(limiter.allow_at("1.2.3.4", start));
        }
        assert!(!limiter.allow_at("1.2.3.4", start + Duration::from_secs(299)));
        assert!(
            limiter.allow_at("5.6.7.8", start),
            "other clients are not affected"
        );
        assert!(limiter.allow_at("1.2.3.4", start + Duration::from_secs(300)));
    }
}
