//! The job queue's table. A worker claims a due job by taking its lease
//! (`locked_by` + `locked_until`); while it works it renews the lease, and
//! every later write is conditional on still holding it, so a worker that
//! lost its lease (stalled, killed) can never overwrite the new holder.

use serde::Serialize;

use super::tx::{on_tx, Tx};
use super::{on_pool, Backend, Store, StoreError};

crate::text_enum! {
    /// Where a job is in its life.
    pub enum JobStatus as "job_status" {
        Queued = "queued",
        Running = "running",
        Completed = "completed",
        Failed = "failed",
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, sqlx::FromRow)]
pub struct JobRow {
    pub id: String,
    pub kind: String,
    pub payload: String,
    pub dedupe_key: Option<String>,
    pub status: JobStatus,
    pub attempts: i64,
    pub max_attempts: i64,
    /// Unix milliseconds.
    pub run_at: i64,
    pub locked_by: Option<String>,
    pub locked_until: Option<i64>,
    pub last_error: Option<String>,
    pub created_at: i64,
    pub finished_at: Option<i64>,
}

/// A job to add to the queue.
#[derive(Debug, Clone, PartialEq)]
pub struct NewJob<'a> {
    pub kind: &'a str,
    pub payload: String,
    pub dedupe_key: Option<String>,
    pub max_attempts: i64,
    pub run_at: i64,
}

/// What happens to a job whose attempt failed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AfterFailure {
    RetryAt(i64),
    GiveUp,
}

/// The claim statement; `$lock` is what PostgreSQL adds (SKIP LOCKED lets
/// concurrent workers each take a different row instead of queueing behind,
/// and then re-claiming, the same one). SQLite has one writer at a time.
macro_rules! claim_sql {
    ($lock:literal) => {
        concat!(
            "UPDATE job SET status = 'running', attempts = attempts + 1, locked_by = $1, locked_until = $2
             WHERE id = (
                SELECT id FROM job
                WHERE (status = 'queued' AND run_at <= $3)
                   OR (status = 'running' AND locked_until < $3 AND attempts < max_attempts)
                ORDER BY run_at, created_at LIMIT 1 ",
            $lock,
            ")
             RETURNING *"
        )
    };
}

/// Queues a job. With a dedupe key, answers None (and adds nothing) while
/// another job with that key is queued or running.
pub(super) async fn enqueue_job_in(
    tx: &mut Tx,
    job: &NewJob<'_>,
    now: i64,
) -> Result<Option<String>, StoreError> {
    let id = uuid::Uuid::new_v4().to_string();
    let inserted = on_tx!(tx, conn => sqlx::query(
        "INSERT INTO job (id, kind, payload, dedupe_key, status, attempts, max_attempts, run_at, created_at)
         VALUES ($1, $2, $3, $4, 'queued', 0, $5, $6, $7)
         ON CONFLICT (dedupe_key) WHERE status IN ('queued', 'running') DO NOTHING"
    )
        .bind(&id)
        .bind(job.kind)
        .bind(&job.payload)
        .bind(&job.dedupe_key)
        .bind(job.max_attempts)
        .bind(job.run_at)
        .bind(now)
        .execute(&mut **conn)
        .await?
        .rows_affected());
    Ok((inserted > 0).then_some(id))
}

impl Store {
    /// Queues a job (see `enqueue_job_in`).
    pub async fn enqueue_job(&self, job: &NewJob<'_>, now: i64) -> Result<Option<String>, StoreError> {
        let mut tx = self.begin_write().await?;
        let id = enqueue_job_in(&mut tx, job, now).await?;
        tx.commit().await?;
        Ok(id)
    }

    /// Takes the next due job (or one whose worker's lease ran out) for
    /// `worker` until `lease_until`.
    pub async fn claim_job(
        &self,
        worker: &str,
        now: i64,
        lease_until: i64,
    ) -> Result<Option<JobRow>, StoreError> {
        let _write = self.write_turn().await;
        let sql = match self.backend() {
            Backend::Sqlite => claim_sql!(""),
            Backend::Postgres => claim_sql!("FOR UPDATE SKIP LOCKED"),
        };
        let claimed = on_pool!(self, pool => sqlx::query_as::<_, JobRow>(sql)
            .bind(worker)
            .bind(lease_until)
            .bind(now)
            .fetch_optional(pool)
            .await?);
        Ok(claimed)
    }

    /// Extends `worker`'s lease; false when the lease is no longer its own.
    pub async fn renew_job_lease(
        &self,
        id: &str,
        worker: &str,
        lease_until: i64,
    ) -> Result<bool, StoreError> {
        let _write = self.write_turn().await;
        let changed = on_pool!(self, pool => sqlx::query(
            "UPDATE job SET locked_until = $3 WHERE id = $1 AND locked_by = $2 AND status = 'running'"
        )
            .bind(id)
            .bind(worker)
            .bind(lease_until)
            .execute(pool)
            .await?
            .rows_affected());
        Ok(changed > 0)
    }

    /// Marks the job done; false when `worker` no longer held it.
    pub async fn complete_job(&self, id: &str, worker: &str, now: i64) -> Result<bool, StoreError> {
        let _write = self.write_turn().await;
        let changed = on_pool!(self, pool => sqlx::query(
            "UPDATE job SET status = 'completed', finished_at = $3, locked_by = NULL, locked_until = NULL, last_error = NULL
             WHERE id = $1 AND locked_by = $2 AND status = 'running'"
        )
            .bind(id)
            .bind(worker)
            .bind(now)
            .execute(pool)
            .await?
            .rows_affected());
        Ok(changed > 0)
    }

    /// Records a failed attempt: queued again for later, or failed for good.
    pub async fn fail_job(
        &self,
        id: &str,
        worker: &str,
        error: &str,
        after: AfterFailure,
        now: i64,
    ) -> Result<bool, StoreError> {
        let _write = self.write_turn().await;
        let (status, run_at, finished_at) = match after {
            AfterFailure::RetryAt(at) => (JobStatus::Queued, Some(at), None),
            AfterFailure::GiveUp => (JobStatus::Failed, None, Some(now)),
        };
        let changed = on_pool!(self, pool => sqlx::query(
            "UPDATE job SET status = $3, last_error = $4, run_at = COALESCE($5, run_at), finished_at = $6,
                            locked_by = NULL, locked_until = NULL
             WHERE id = $1 AND locked_by = $2 AND status = 'running'"
        )
            .bind(id)
            .bind(worker)
            .bind(status)
            .bind(error)
            .bind(run_at)
            .bind(finished_at)
            .execute(pool)
            .await?
            .rows_affected());
        Ok(changed > 0)
    }

    /// Hands a job back to the queue without counting the attempt (its
    /// worker is shutting down).
    pub async fn release_job(&self, id: &str, worker: &str) -> Result<bool, StoreError> {
        let _write = self.write_turn().await;
        let changed = on_pool!(self, pool => sqlx::query(
            "UPDATE job SET status = 'queued', attempts = attempts - 1, locked_by = NULL, locked_until = NULL
             WHERE id = $1 AND locked_by = $2 AND status = 'running'"
        )
            .bind(id)
            .bind(worker)
            .execute(pool)
            .await?
            .rows_affected());
        Ok(changed > 0)
    }

    /// Fails the jobs whose worker vanished during their last allowed attempt
    /// (no one may claim them again); answers how many.
    pub async fn fail_abandoned_jobs(&self, now: i64) -> Result<u64, StoreError> {
        let _write = self.write_turn().await;
        let changed = on_pool!(self, pool => sqlx::query(
            "UPDATE job SET status = 'failed', finished_at = $1, locked_by = NULL, locked_until = NULL,
                            last_error = COALESCE(last_error || '; ', '') || 'the worker stopped during the last attempt'
             WHERE status = 'running' AND locked_until < $1 AND attempts >= max_attempts"
        )
            .bind(now)
            .execute(pool)
            .await?
            .rows_affected());
        Ok(changed)
    }

    /// Jobs, newest first, optionally only those in `status`.
    pub async fn list_jobs(&self, status: Option<JobStatus>, limit: i64) -> Result<Vec<JobRow>, StoreError> {
        let jobs = on_pool!(self, pool => sqlx::query_as::<_, JobRow>(
            "SELECT * FROM job WHERE ($1 IS NULL OR status = $1) ORDER BY created_at DESC, id LIMIT $2"
        )
            .bind(status.map(JobStatus::as_str))
            .bind(limit)
            .fetch_all(pool)
            .await?);
        Ok(jobs)
    }

    pub async fn job_by_id(&self, id: &str) -> Result<Option<JobRow>, StoreError> {
        let job = on_pool!(self, pool => sqlx::query_as::<_, JobRow>("SELECT * FROM job WHERE id = $1")
            .bind(id)
            .fetch_optional(pool)
            .await?);
        Ok(job)
    }
}
