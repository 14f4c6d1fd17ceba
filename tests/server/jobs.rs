//! The job queue's table on SQLite and PostgreSQL: leases, retries, dedupe,
//! and many workers (on separate connections, as separate processes would
//! be) never claiming one job twice.

use std::collections::HashSet;

use app::server::store::testing::{every_backend, every_backend_url};
use app::server::store::{AfterFailure, JobStatus, NewJob, Store};

const NOW: i64 = 1_800_000_000_000;

fn job(key: Option<&str>) -> NewJob<'static> {
    NewJob {
        kind: "test",
        payload: "{}".into(),
        dedupe_key: key.map(Into::into),
        max_attempts: 3,
        run_at: NOW,
    }
}

#[tokio::test]
async fn a_dedupe_key_holds_one_unfinished_job_at_a_time() {
    for store in every_backend().await {
        let first = store.enqueue_job(&job(Some("k")), NOW).await.unwrap();
        assert!(first.is_some());
        assert_eq!(store.enqueue_job(&job(Some("k")), NOW).await.unwrap(), None);
        assert!(store.enqueue_job(&job(None), NOW).await.unwrap().is_some());
        assert!(store.enqueue_job(&job(None), NOW).await.unwrap().is_some());
        let claimed = store.claim_job("w", NOW, NOW + 1000).await.unwrap().unwrap();
        assert_eq!(claimed.id, first.clone().unwrap());
        assert_eq!(
            store.enqueue_job(&job(Some("k")), NOW).await.unwrap(),
            None,
            "running counts too"
        );
        assert!(store.complete_job(&claimed.id, "w", NOW).await.unwrap());
        assert!(
            store.enqueue_job(&job(Some("k")), NOW).await.unwrap().is_some(),
            "finished frees the key"
        );
    }
}

#[tokio::test]
async fn a_lease_fences_out_the_worker_that_lost_it() {
    for store in every_backend().await {
        let id = store.enqueue_job(&job(None), NOW).await.unwrap().unwrap();
        let first = store.claim_job("a", NOW, NOW + 1000).await.unwrap().unwrap();
        assert_eq!((first.attempts, first.status), (1, JobStatus::Running));
        assert_eq!(
            store.claim_job("b", NOW + 500, NOW + 1500).await.unwrap(),
            None,
            "leased"
        );
        assert!(store.renew_job_lease(&id, "a", NOW + 2000).await.unwrap());
        assert_eq!(
            store.claim_job("b", NOW + 1500, NOW + 2500).await.unwrap(),
            None,
            "renewed"
        );

        // "a" stops renewing (killed): once the lease runs out "b" takes over.
        let second = store
            .claim_job("b", NOW + 2001, NOW + 3000)
            .await
            .unwrap()
            .unwrap();
        assert_eq!((second.id.as_str(), second.attempts), (id.as_str(), 2));
        assert!(!store.renew_job_lease(&id, "a", NOW + 9000).await.unwrap());
        assert!(
            !store.complete_job(&id, "a", NOW).await.unwrap(),
            "a's late result is refused"
        );
        assert!(!store
            .fail_job(&id, "a", "late", AfterFailure::GiveUp, NOW)
            .await
            .unwrap());
        assert!(store.complete_job(&id, "b", NOW + 2100).await.unwrap());
        let done = store.job_by_id(&id).await.unwrap().unwrap();
        assert_eq!((done.status, done.locked_by), (JobStatus::Completed, None));
    }
}

#[tokio::test]
async fn failures_retry_later_then_stay_visible_as_failed() {
    for store in every_backend().await {
        let id = store.enqueue_job(&job(None), NOW).await.unwrap().unwrap();
        store.claim_job("w", NOW, NOW + 1000).await.unwrap().unwrap();
        assert!(store
            .fail_job(&id, "w", "boom 1", AfterFailure::RetryAt(NOW + 10_000), NOW)
            .await
            .unwrap());
        let waiting = store.job_by_id(&id).await.unwrap().unwrap();
        assert_eq!(
            (waiting.status, waiting.last_error.as_deref()),
            (JobStatus::Queued, Some("boom 1"))
        );
        assert_eq!(
            store.claim_job("w", NOW + 9_999, NOW + 20_000).await.unwrap(),
            None,
            "not due yet"
        );
        let again = store
            .claim_job("w", NOW + 10_000, NOW + 20_000)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(again.attempts, 2);
        assert!(store
            .fail_job(&id, "w", "boom 2", AfterFailure::GiveUp, NOW + 10_001)
            .await
            .unwrap());
        assert_eq!(
            store
                .claim_job("w", NOW + 99_999_999, NOW + 100_000_000)
                .await
                .unwrap(),
            None
        );
        let failed = store.list_jobs(Some(JobStatus::Failed), 10).await.unwrap();
        assert_eq!(failed.len(), 1);
        assert_eq!(failed[0].last_error.as_deref(), Some("boom 2"));
        assert_eq!(failed[0].finished_at, Some(NOW + 10_001));
    }
}

#[tokio::test]
async fn a_job_whose_worker_died_on_its_last_attempt_is_failed_not_retried() {
    for store in every_backend().await {
        let id = store
            .enqueue_job(
                &NewJob {
                    max_attempts: 1,
                    ..job(None)
                },
                NOW,
            )
            .await
            .unwrap()
            .unwrap();
        store.claim_job("w", NOW, NOW + 1000).await.unwrap().unwrap();
        assert_eq!(store.claim_job("x", NOW + 5000, NOW + 6000).await.unwrap(), None);
        assert_eq!(
            store.fail_abandoned_jobs(NOW + 500).await.unwrap(),
            0,
            "lease still running"
        );
        assert_eq!(store.fail_abandoned_jobs(NOW + 5000).await.unwrap(), 1);
        let failed = store.job_by_id(&id).await.unwrap().unwrap();
        assert_eq!(failed.status, JobStatus::Failed);
        assert!(failed.last_error.unwrap().contains("worker stopped"));
    }
}

#[tokio::test]
async fn a_released_job_does_not_lose_an_attempt() {
    for store in every_backend().await {
        let id = store.enqueue_job(&job(None), NOW).await.unwrap().unwrap();
        store.claim_job("w", NOW, NOW + 1000).await.unwrap().unwrap();
        assert!(store.release_job(&id, "w").await.unwrap());
        let back = store.claim_job("v", NOW, NOW + 1000).await.unwrap().unwrap();
        assert_eq!(back.attempts, 1);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn workers_in_separate_processes_never_claim_one_job_twice() {
    for url in every_backend_url().await {
        // Two connection pools stand in for two server processes.
        let a = Store::connect(&url).await.unwrap();
        let b = Store::connect(&url).await.unwrap();
        const JOBS: usize = 300;
        for _ in 0..JOBS {
            a.enqueue_job(&job(None), NOW).await.unwrap().unwrap();
        }
        let mut workers = Vec::new();
        for (n, store) in [a.clone(), b.clone()].into_iter().cycle().take(8).enumerate() {
            workers.push(tokio::spawn(claim_all(store, format!("w{n}"))));
        }
        let mut seen = HashSet::new();
        let mut per_worker = Vec::new();
        for worker in workers {
            let claimed = worker.await.unwrap();
            per_worker.push(claimed.len());
            for id in claimed {
                assert!(seen.insert(id.clone()), "job {id} claimed twice ({url})");
            }
        }
        assert_eq!(seen.len(), JOBS, "every job claimed once ({url}): {per_worker:?}");
        a.close().await;
        b.close().await;
    }
}

async fn claim_all(store: Store, worker: String) -> Vec<String> {
    let mut claimed = Vec::new();
    while let Some(row) = store.claim_job(&worker, NOW, NOW + 60_000).await.unwrap() {
        assert!(store.complete_job(&row.id, &worker, NOW).await.unwrap());
        claimed.push(row.id);
    }
    claimed
}
