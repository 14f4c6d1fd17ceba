//! Workers: claim a due job, run it while renewing its lease, record the
//! outcome. A worker that loses its lease stops the job at once (someone
//! else owns it now); one that is shut down hands its job back.

use std::time::Duration;

use futures_util::FutureExt;
use tokio::sync::watch;

use super::{now_ms, retry_delay_ms, Job, JobFailure};
use crate::server::store::{AfterFailure, JobRow, StoreError};
use crate::server::AppState;

/// How one claimed job ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    Completed,
    WillRetry(String),
    Failed(String),
    /// Its lease was taken over; nothing recorded.
    LeaseLost,
    /// Shut down mid-job; handed back to the queue.
    Released,
}

#[derive(Clone)]
pub struct Runner {
    state: AppState,
    worker_id: String,
}

impl Runner {
    pub fn new(state: AppState, worker_id: impl Into<String>) -> Self {
        Runner {
            state,
            worker_id: worker_id.into(),
        }
    }

    fn lease_ms(&self) -> i64 {
        self.state.settings.jobs.lease_seconds as i64 * 1000
    }

    /// Claims and runs one due job; None when nothing is due.
    pub async fn run_next(
        &self,
        shutdown: &mut watch::Receiver<bool>,
    ) -> Result<Option<(JobRow, Outcome)>, StoreError> {
        let now = now_ms();
        let Some(row) = self
            .state
            .store
            .claim_job(&self.worker_id, now, now + self.lease_ms())
            .await?
        else {
            return Ok(None);
        };
        let outcome = self.run_claimed(&row, shutdown).await?;
        Ok(Some((row, outcome)))
    }

    async fn run_claimed(
        &self,
        row: &JobRow,
        shutdown: &mut watch::Receiver<bool>,
    ) -> Result<Outcome, StoreError> {
        let store = &self.state.store;
        let job: Job = match serde_json::from_str(&row.payload) {
            Ok(job) => job,
            Err(error) => {
                let message = format!("unreadable job payload: {error}");
                store
                    .fail_job(&row.id, &self.worker_id, &message, AfterFailure::GiveUp, now_ms())
                    .await?;
                return Ok(Outcome::Failed(message));
            }
        };
        tracing::debug!(job = %row.id, kind = %row.kind, attempt = row.attempts, "job started");
        let result = tokio::select! {
            result = panic_fails(job.run(&self.state)) => result,
            () = self.keep_lease(&row.id) => return Ok(Outcome::LeaseLost),
            () = super::stopped(shutdown) => {
                store.release_job(&row.id, &self.worker_id).await?;
                return Ok(Outcome::Released);
            }
        };
        let now = now_ms();
        match result {
            Ok(()) => {
                if !store.complete_job(&row.id, &self.worker_id, now).await? {
                    return Ok(Outcome::LeaseLost);
                }
                tracing::info!(job = %row.id, kind = %row.kind, "job completed");
                Ok(Outcome::Completed)
            }
            Err(failure) => {
                let last = matches!(failure, JobFailure::Permanent(_)) || row.attempts >= row.max_attempts;
                let message = failure.to_string();
                if let Err(error) = job.attempt_failed(&self.state, &message, !last).await {
                    tracing::warn!(job = %row.id, %error, "could not record a job's failure on its subject");
                }
                let after = if last {
                    AfterFailure::GiveUp
                } else {
                    let delay = retry_delay_ms(self.state.settings.jobs.retry_base_seconds, row.attempts);
                    AfterFailure::RetryAt(now + delay as i64)
                };
                if !store
                    .fail_job(&row.id, &self.worker_id, &message, after, now)
                    .await?
                {
                    return Ok(Outcome::LeaseLost);
                }
                tracing::warn!(job = %row.id, kind = %row.kind, attempt = row.attempts, error = %message, will_retry = !last, "job failed");
                Ok(if last {
                    Outcome::Failed(message)
                } else {
                    Outcome::WillRetry(message)
                })
            }
        }
    }

    /// Renews the lease every third of its length; returns when it is lost.
    async fn keep_lease(&self, job_id: &str) {
        let every = Duration::from_millis((self.lease_ms() / 3).max(10) as u64);
        loop {
            tokio::time::sleep(every).await;
            match self
                .state
                .store
                .renew_job_lease(job_id, &self.worker_id, now_ms() + self.lease_ms())
                .await
            {
                Ok(true) => {}
                Ok(false) => {
                    tracing::warn!(job = %job_id, worker = %self.worker_id, "job lease lost; stopping it");
                    return;
                }
                // The database is briefly away: keep working, try again.
                Err(error) => tracing::warn!(job = %job_id, %error, "could not renew a job lease"),
            }
        }
    }

    /// Runs jobs until `shutdown` turns true.
    pub async fn run_until(self, mut shutdown: watch::Receiver<bool>) {
        let poll = Duration::from_millis(self.state.settings.jobs.poll_interval_ms);
        while !*shutdown.borrow() && shutdown.has_changed().is_ok() {
            match self.run_next(&mut shutdown).await {
                Ok(Some(_)) => continue,
                Ok(None) => {}
                Err(error) => tracing::warn!(%error, "job queue unavailable"),
            }
            tokio::select! {
                () = tokio::time::sleep(poll) => {}
                () = self.state.job_wakeup.notified() => {}
                () = super::stopped(&mut shutdown) => {}
            }
        }
    }
}

/// Starts `WORKER_CONCURRENCY` workers and the periodic scheduler; they stop
/// when `shutdown` turns true.
pub fn run_workers(state: &AppState, shutdown: watch::Receiver<bool>) -> Vec<tokio::task::JoinHandle<()>> {
    let process = format!(
        "{}-{}",
        std::process::id(),
        &uuid::Uuid::new_v4().simple().to_string()[..8]
    );
    let mut tasks: Vec<_> = (0..state.settings.jobs.concurrency)
        .map(|slot| {
            let runner = Runner::new(state.clone(), format!("worker-{process}-{slot}"));
            tokio::spawn(runner.run_until(shutdown.clone()))
        })
        .collect();
    tasks.push(tokio::spawn(super::run_scheduler(state.clone(), shutdown)));
    tasks
}

/// A job that panics fails for good instead of taking its worker down.
async fn panic_fails(
    work: impl std::future::Future<Output = Result<(), JobFailure>>,
) -> Result<(), JobFailure> {
    std::panic::AssertUnwindSafe(work)
        .catch_unwind()
        .await
        .unwrap_or_else(|_| Err(JobFailure::Permanent("the job panicked".into())))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_panicking_job_fails_for_good_and_others_pass_through() {
        let panicked = panic_fails(async { panic!("a bug in a job") }).await;
        assert_eq!(panicked, Err(JobFailure::Permanent("the job panicked".into())));
        assert_eq!(panic_fails(async { Ok(()) }).await, Ok(()));
        let retry = Err(JobFailure::Retry("later".into()));
        assert_eq!(
            panic_fails(async { Err(JobFailure::Retry("later".into())) }).await,
            retry
        );
    }
}
