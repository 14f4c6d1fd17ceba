//! "One at a time per room", across tasks and across server processes that
//! share the database: an in-process mutex so local waiters queue without
//! polling, plus a database lease so other processes wait too.

use std::collections::HashMap;
use std::future::Future;
use std::sync::{Arc, Mutex, Weak};
use std::time::Duration;

use chrono::Utc;

use crate::server::{AppError, AppState};

/// Longer than any platform call (timeouts and retries included), so a lease
/// only lapses when its holder died.
const LEASE_SECONDS: i64 = 90;
const WAIT: Duration = Duration::from_secs(20);
const POLL: Duration = Duration::from_millis(25);

#[derive(Default)]
pub struct RoomLocks {
    local: Mutex<HashMap<String, Weak<tokio::sync::Mutex<()>>>>,
}

impl RoomLocks {
    fn local_mutex(&self, key: &str) -> Arc<tokio::sync::Mutex<()>> {
        let mut map = self.local.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        map.retain(|_, weak| weak.strong_count() > 0);
        if let Some(existing) = map.get(key).and_then(Weak::upgrade) {
            return existing;
        }
        let mutex = Arc::new(tokio::sync::Mutex::new(()));
        map.insert(key.to_owned(), Arc::downgrade(&mutex));
        mutex
    }
}

/// Runs `work` while holding the lock named `key`; 503 when it cannot be
/// had within 20 seconds.
pub async fn with_lock<T, F>(state: &AppState, key: &str, work: F) -> Result<T, AppError>
where
    F: Future<Output = Result<T, AppError>>,
{
    let busy = || AppError::Unavailable("Meeting creation in progress, please try again".into());
    let mutex = state.room_locks.local_mutex(key);
    let _local = tokio::time::timeout(WAIT, mutex.lock())
        .await
        .map_err(|_| busy())?;

    let holder = uuid::Uuid::new_v4().to_string();
    let deadline = tokio::time::Instant::now() + WAIT;
    loop {
        let now = Utc::now();
        let expires = now + chrono::Duration::seconds(LEASE_SECONDS);
        if state.store.try_acquire_lease(key, &holder, now, expires).await? {
            break;
        }
        if tokio::time::Instant::now() >= deadline {
            return Err(busy());
        }
        tokio::time::sleep(POLL).await;
    }
    let outcome = work.await;
    if let Err(error) = state.store.release_lease(key, &holder).await {
        tracing::warn!(%error, key, "could not release lease; it lapses by itself");
    }
    outcome
}
