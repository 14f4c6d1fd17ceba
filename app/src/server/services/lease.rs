//! "One at a time", across every server process sharing the database: a row
//! in the `lease` table, held for a short term and renewed while its holder
//! works. A holder that dies stops renewing, and the lease lapses after one
//! term; a holder that is merely slow keeps it.

use std::future::Future;
use std::time::Duration;

use chrono::Utc;

use crate::server::{AppError, AppState};

const POLL: Duration = Duration::from_millis(25);

/// Runs `work` while holding the lease `key`; waits for it while another
/// holder has it, and answers 503 when it cannot be had within `wait`.
pub async fn with_lease<T, F>(state: &AppState, key: &str, wait: Duration, work: F) -> Result<T, AppError>
where
    F: Future<Output = Result<T, AppError>>,
{
    let term = chrono::Duration::seconds(state.settings.meeting_lease_seconds as i64);
    let holder = uuid::Uuid::new_v4().to_string();
    let deadline = tokio::time::Instant::now() + wait;
    loop {
        let now = Utc::now();
        if state
            .store
            .try_acquire_lease(key, &holder, now, now + term)
            .await?
        {
            break;
        }
        if tokio::time::Instant::now() >= deadline {
            return Err(AppError::Unavailable(
                "Meeting creation in progress, please try again".into(),
            ));
        }
        tokio::time::sleep(POLL).await;
    }
    let outcome = tokio::select! {
        biased;
        outcome = work => outcome,
        () = keep_renewed(state, key, &holder, term) => unreachable!("renewal never ends on its own"),
    };
    if let Err(error) = state.store.release_lease(key, &holder).await {
        tracing::warn!(%error, key, "could not release a lease; it lapses by itself");
    }
    outcome
}

/// Renews the lease every third of its term, for as long as it is polled.
async fn keep_renewed(state: &AppState, key: &str, holder: &str, term: chrono::Duration) {
    let every = (term / 3).to_std().unwrap_or(Duration::from_secs(1));
    loop {
        tokio::time::sleep(every).await;
        match state.store.renew_lease(key, holder, Utc::now() + term).await {
            Ok(true) => {}
            Ok(false) => tracing::warn!(key, "a lease ran out while its work went on"),
            Err(error) => tracing::warn!(%error, key, "could not renew a lease"),
        }
    }
}
