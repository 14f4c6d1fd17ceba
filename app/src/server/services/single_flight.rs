//! Work that runs to completion on its own, whoever waits for it. The first
//! caller for a key starts the work in a task; callers arriving while it runs
//! await the same result; a caller that leaves (a reload, a timeout) does
//! not stop it, so nothing it started is left half done.

use std::collections::HashMap;
use std::future::Future;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

use futures_util::future::{BoxFuture, FutureExt, Shared};

use crate::server::AppError;

type Flight<T> = Shared<BoxFuture<'static, Result<T, AppError>>>;

pub struct SingleFlight<T> {
    running: Mutex<HashMap<String, (u64, Flight<T>)>>,
    next_id: AtomicU64,
}

impl<T> Default for SingleFlight<T> {
    fn default() -> Self {
        SingleFlight {
            running: Mutex::default(),
            next_id: AtomicU64::new(0),
        }
    }
}

impl<T: Clone + Send + Sync + 'static> SingleFlight<T> {
    /// The result of the work running under `key`, starting it with `start`
    /// when none runs.
    pub async fn run<F>(self: &Arc<Self>, key: &str, start: impl FnOnce() -> F) -> Result<T, AppError>
    where
        F: Future<Output = Result<T, AppError>> + Send + 'static,
    {
        let flight = {
            let mut running = self
                .running
                .lock()
                .unwrap_or_else(|poisoned| poisoned.into_inner());
            match running.get(key) {
                Some((_, flight)) => flight.clone(),
                None => {
                    let id = self.next_id.fetch_add(1, Ordering::Relaxed);
                    let work = start();
                    let this = Arc::clone(self);
                    let owned_key = key.to_owned();
                    let flight = run_detached(async move {
                        let outcome = work.await;
                        this.landed(&owned_key, id);
                        outcome
                    })
                    .boxed()
                    .shared();
                    running.insert(key.to_owned(), (id, flight.clone()));
                    flight
                }
            }
        };
        flight.await
    }

    /// Forgets the finished flight `id` (not a newer one under the same key).
    fn landed(&self, key: &str, id: u64) {
        let mut running = self
            .running
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        if running.get(key).is_some_and(|(running_id, _)| *running_id == id) {
            running.remove(key);
        }
    }
}

/// Runs `work` in its own task, so it completes even if the returned future
/// is dropped; the returned future resolves to its result.
pub fn run_detached<T, F>(work: F) -> impl Future<Output = Result<T, AppError>> + Send + 'static
where
    T: Send + 'static,
    F: Future<Output = Result<T, AppError>> + Send + 'static,
{
    let task = tokio::spawn(work);
    async move { task.await.unwrap_or_else(|error| Err(AppError::internal(error))) }
}

#[cfg(test)]
mod tests {
    use std::sync::atomic::AtomicUsize;
    use std::time::Duration;

    use super::*;

    #[tokio::test]
    async fn concurrent_callers_share_one_run_that_outlives_a_caller_who_left() {
        let flights: Arc<SingleFlight<usize>> = Arc::default();
        let started = Arc::new(AtomicUsize::new(0));
        let finished = Arc::new(AtomicUsize::new(0));
        let work = || {
            let (started, finished) = (started.clone(), finished.clone());
            move || async move {
                started.fetch_add(1, Ordering::SeqCst);
                tokio::time::sleep(Duration::from_millis(100)).await;
                finished.fetch_add(1, Ordering::SeqCst);
                Ok(7)
            }
        };
        // The first caller gives up before the work is done.
        let left = tokio::time::timeout(Duration::from_millis(10), flights.run("k", work())).await;
        assert!(left.is_err());
        let (a, b) = tokio::join!(flights.run("k", work()), flights.run("k", work()));
        assert_eq!((a, b), (Ok(7), Ok(7)));
        assert_eq!(started.load(Ordering::SeqCst), 1, "one run for all three callers");
        assert_eq!(
            finished.load(Ordering::SeqCst),
            1,
            "the run finished although its starter left"
        );
        // Once landed, the next call runs anew.
        assert_eq!(flights.run("k", work()).await, Ok(7));
        assert_eq!(started.load(Ordering::SeqCst), 2);
    }
}
