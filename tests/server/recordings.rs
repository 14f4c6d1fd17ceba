//! Recordings end to end: a signed platform event queues a job, a worker
//! copies the file from the (fake) platform into storage, the owner lists
//! and downloads it. Failures retry then stay failed; a killed worker's job
//! is taken over; workers in two processes never fetch a file twice.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;

use app::server::jobs::{run_workers, Outcome, Runner};
use app::server::settings::StorageTarget;
use app::server::store::testing::{every_backend, every_backend_url};
use app::server::store::{JobStatus, Store};
use app::server::AppState;
use app::types::{Platform, RecordingStatus};
use axum::http::StatusCode;
use chrono::Utc;
use serde_json::{json, Value};
use sha2::{Digest, Sha256};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::sync::watch;
use wiremock::matchers::{method, path, path_regex};
use wiremock::{Mock, MockServer, Request, Respond, ResponseTemplate};

use crate::support::fake_platforms::requests_to;
use crate::support::send;
use crate::webhooks::{hooks_with, Hooks};

fn file_bytes(seed: &str, len: usize) -> Vec<u8> {
    seed.bytes().cycle().take(len).collect()
}

fn sha256_hex(bytes: &[u8]) -> String {
    hex::encode(Sha256::digest(bytes))
}

/// Daily's access-link endpoint for any recording, pointing at `files_base`.
struct AccessLink {
    files_base: String,
}

impl Respond for AccessLink {
    fn respond(&self, request: &Request) -> ResponseTemplate {
        let id = request.url.path().split('/').nth(3).unwrap_or_default();
        ResponseTemplate::new(200).set_body_json(json!({
            "download_link": format!("{}/files/{id}.mp4?X-Amz-Signature=abc", self.files_base),
            "expires": Utc::now().timestamp() + 3600,
        }))
    }
}

/// Serves `/files/<id>.mp4` with bytes derived from the id.
struct RecordingFile;

impl Respond for RecordingFile {
    fn respond(&self, request: &Request) -> ResponseTemplate {
        let id = request
            .url
            .path()
            .trim_start_matches("/files/")
            .trim_end_matches(".mp4");
        ResponseTemplate::new(200)
            .insert_header("content-type", "video/mp4")
            .set_body_bytes(file_bytes(id, 200_000))
    }
}

async fn fake_daily_recordings() -> MockServer {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path_regex(r"^/v1/recordings/[^/]+/access-link$"))
        .respond_with(AccessLink {
            files_base: server.uri(),
        })
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path_regex(r"^/files/[^/]+\.mp4$"))
        .respond_with(RecordingFile)
        .mount(&server)
        .await;
    server
}

fn daily_env(daily: &MockServer, extra: &[(&str, &str)]) -> Vec<(String, String)> {
    let mut env = vec![
        ("DAILY_API_KEY".to_owned(), "fake-daily-key".to_owned()),
        ("DAILY_API_URL".to_owned(), format!("{}/v1", daily.uri())),
        ("PLATFORM_TIMEOUT_SECONDS".to_owned(), "2".to_owned()),
        ("JOB_RETRY_BASE_SECONDS".to_owned(), "0".to_owned()),
    ];
    env.extend(extra.iter().map(|(k, v)| (k.to_string(), v.to_string())));
    env
}

fn ready_event(event_id: &str, recording_id: &str, room: &str) -> Value {
    json!({"version": "1.0.0", "type": "recording.ready-to-download", "id": event_id,
           "payload": {"type": "cloud", "recording_id": recording_id, "room_name": room,
                       "start_ts": Utc::now().timestamp(), "status": "finished", "duration": 60,
                       "s3_key": format!("acme/{room}/1700000000000.mp4")}})
}

async fn run_one(state: &AppState, worker: &str) -> Outcome {
    let (_stop, mut stopped) = watch::channel(false);
    let (_, outcome) = Runner::new(state.clone(), worker)
        .run_next(&mut stopped)
        .await
        .unwrap()
        .expect("a job was due");
    outcome
}

async fn owner_bearer(hooks: &Hooks) -> String {
    let owner = hooks
        .store
        .upsert_user("local:o@example.com", "o@example.com", None)
        .await
        .unwrap();
    format!("Bearer {}", hooks.api.state.auth.tokens.issue(&owner).unwrap())
}

fn storage_dir(state: &AppState) -> std::path::PathBuf {
    match &state.settings.recordings.target {
        StorageTarget::Local(dir) => dir.clone(),
        StorageTarget::S3(_) => panic!("tests store locally"),
    }
}

#[tokio::test]
async fn a_daily_recording_is_stored_once_and_downloadable_by_its_owner() {
    for store in every_backend().await {
        let daily = fake_daily_recordings().await;
        let hooks = hooks_with(store, &daily_env(&daily, &[])).await;
        let state = hooks.api.state.clone();
        let meeting = hooks.meeting(Platform::Daily, "m-rec", "rec-room").await;

        assert_eq!(
            hooks.daily(&ready_event("rr-1", "rec-a", "rec-room")).await.0,
            StatusCode::OK
        );
        let queued = hooks.store.list_jobs(Some(JobStatus::Queued), 10).await.unwrap();
        assert_eq!(queued.len(), 1);
        assert_eq!(queued[0].kind, "process_recording");

        assert_eq!(run_one(&state, "w").await, Outcome::Completed);
        let expected = file_bytes("rec-a", 200_000);
        let recording = hooks.store.recording_by_id("rec-a").await.unwrap().unwrap();
        assert_eq!(recording.status, RecordingStatus::Completed);
        assert_eq!(recording.size_bytes, Some(200_000));
        assert_eq!(recording.sha256.as_deref(), Some(sha256_hex(&expected).as_str()));
        let key = recording.storage_key.clone().unwrap();
        assert_eq!(key, "recordings/m-rec/rec-a.mp4");
        assert_eq!(std::fs::read(storage_dir(&state).join(&key)).unwrap(), expected);

        // The owner lists it with a download link and downloads the same bytes.
        let bearer = owner_bearer(&hooks).await;
        let (status, listed) = hooks
            .api
            .call(
                "GET",
                &format!("/v1/meetings/{meeting}/recordings"),
                Some(&bearer),
                None,
            )
            .await;
        assert_eq!(status, StatusCode::OK, "{listed}");
        assert_eq!(listed[0]["status"], "completed");
        assert_eq!(listed[0]["size_bytes"], 200_000);
        assert!(
            listed[0].get("storage_key").is_none(),
            "storage layout stays private"
        );
        let url = listed[0]["download_url"].as_str().unwrap().to_owned();
        assert_eq!(url, format!("/v1/meetings/{meeting}/recordings/rec-a/download"));
        let request = axum::http::Request::get(&url)
            .header("authorization", &bearer)
            .body(axum::body::Body::empty())
            .unwrap();
        let response = tower::ServiceExt::oneshot(hooks.api.router.clone(), request)
            .await
            .unwrap();
        assert_eq!(response.status(), StatusCode::OK);
        assert_eq!(response.headers()["content-type"], "video/mp4");
        let body = http_body_util::BodyExt::collect(response.into_body())
            .await
            .unwrap()
            .to_bytes();
        assert_eq!(body.as_ref(), expected.as_slice());

        // Nobody else can.
        let stranger = hooks.api.user("stranger@example.com").await;
        let (status, _) = send(
            &hooks.api.router,
            "GET",
            &url,
            &[("authorization", &stranger)],
            None,
        )
        .await;
        assert_eq!(status, StatusCode::FORBIDDEN);
        let (status, _) = send(&hooks.api.router, "GET", &url, &[], None).await;
        assert_eq!(status, StatusCode::UNAUTHORIZED);

        // Daily announces it again (a new delivery): the job runs, nothing is fetched twice.
        assert_eq!(
            hooks.daily(&ready_event("rr-2", "rec-a", "rec-room")).await.0,
            StatusCode::OK
        );
        assert_eq!(run_one(&state, "w").await, Outcome::Completed);
        assert_eq!(requests_to(&daily, "GET", "/files/rec-a.mp4").await, 1);
    }
}

#[tokio::test]
async fn a_download_not_stored_yet_is_a_conflict_not_an_error() {
    let store = app::server::store::testing::sqlite_store().await;
    let daily = fake_daily_recordings().await;
    let hooks = hooks_with(store, &daily_env(&daily, &[])).await;
    let meeting = hooks.meeting(Platform::Daily, "m-wait", "wait-room").await;
    hooks.daily(&ready_event("rr-w", "rec-w", "wait-room")).await;
    let bearer = owner_bearer(&hooks).await;
    let url = format!("/v1/meetings/{meeting}/recordings/rec-w/download");
    let (status, body) = hooks.api.call("GET", &url, Some(&bearer), None).await;
    assert_eq!(status, StatusCode::CONFLICT);
    assert_eq!(
        body["detail"],
        "The recording is not stored yet (status: pending)"
    );
    let (status, _) = hooks
        .api
        .call(
            "GET",
            &format!("/v1/meetings/{meeting}/recordings/nope/download"),
            Some(&bearer),
            None,
        )
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn failed_fetches_retry_then_stay_failed_with_their_reason() {
    for store in every_backend().await {
        let daily = MockServer::start().await;
        Mock::given(method("GET"))
            .and(path("/v1/recordings/rec-gone/access-link"))
            .respond_with(
                ResponseTemplate::new(404)
                    .set_body_json(json!({"error": "not-found", "info": "no such recording"})),
            )
            .mount(&daily)
            .await;
        Mock::given(method("GET"))
            .and(path("/v1/recordings/rec-flaky/access-link"))
            .respond_with(ResponseTemplate::new(503))
            .mount(&daily)
            .await;
        Mock::given(method("GET"))
            .and(path("/v1/recordings/rec-huge/access-link"))
            .respond_with(ResponseTemplate::new(200).set_body_json(
                json!({"download_link": format!("{}/files/rec-huge.mp4", daily.uri()), "expires": 0}),
            ))
            .mount(&daily)
            .await;
        Mock::given(method("GET"))
            .and(path("/files/rec-huge.mp4"))
            .respond_with(ResponseTemplate::new(200).set_body_bytes(vec![7u8; 5000]))
            .mount(&daily)
            .await;
        let env = daily_env(
            &daily,
            &[("JOB_MAX_ATTEMPTS", "2"), ("RECORDING_MAX_BYTES", "4096")],
        );
        let hooks = hooks_with(store, &env).await;
        let state = hooks.api.state.clone();
        hooks.meeting(Platform::Daily, "m-f", "fail-room").await;

        // Gone for good: failed at once, reason kept.
        hooks.daily(&ready_event("e-1", "rec-gone", "fail-room")).await;
        assert!(matches!(run_one(&state, "w").await, Outcome::Failed(_)));
        let gone = hooks.store.recording_by_id("rec-gone").await.unwrap().unwrap();
        assert_eq!(gone.status, RecordingStatus::Failed);
        assert!(gone.error.unwrap().contains("no such recording"));

        // Too large: refused, never retried.
        hooks.daily(&ready_event("e-2", "rec-huge", "fail-room")).await;
        assert!(matches!(run_one(&state, "w").await, Outcome::Failed(_)));
        let huge = hooks.store.recording_by_id("rec-huge").await.unwrap().unwrap();
        assert_eq!(huge.status, RecordingStatus::Failed);
        assert!(huge.error.unwrap().contains("RECORDING_MAX_BYTES"));

        // Daily unavailable: pending again with the reason, then failed after the last attempt.
        hooks.daily(&ready_event("e-3", "rec-flaky", "fail-room")).await;
        assert!(matches!(run_one(&state, "w").await, Outcome::WillRetry(_)));
        let flaky = hooks.store.recording_by_id("rec-flaky").await.unwrap().unwrap();
        assert_eq!(flaky.status, RecordingStatus::Pending);
        assert!(flaky.error.unwrap().contains("503"));
        assert!(matches!(run_one(&state, "w").await, Outcome::Failed(_)));
        let flaky = hooks.store.recording_by_id("rec-flaky").await.unwrap().unwrap();
        assert_eq!(flaky.status, RecordingStatus::Failed);

        let failed = hooks.store.list_jobs(Some(JobStatus::Failed), 10).await.unwrap();
        assert_eq!(failed.len(), 3, "failed jobs stay visible");
        assert!(failed.iter().all(|job| job.last_error.is_some()));
    }
}

/// An HTTP file server whose first download sends half the file and then
/// hangs (as a connection does when the worker's machine dies); later
/// downloads get the whole file.
async fn half_then_hang(body: Vec<u8>) -> (String, Arc<AtomicUsize>, tokio::sync::mpsc::Receiver<()>) {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = format!("http://{}", listener.local_addr().unwrap());
    let served = Arc::new(AtomicUsize::new(0));
    let (half_sent, half_sent_rx) = tokio::sync::mpsc::channel(1);
    let counter = served.clone();
    tokio::spawn(async move {
        loop {
            let Ok((mut socket, _)) = listener.accept().await else {
                return;
            };
            let nth = counter.fetch_add(1, Ordering::SeqCst);
            let body = body.clone();
            let half_sent = half_sent.clone();
            tokio::spawn(async move {
                let mut request = [0u8; 4096];
                let _ = socket.read(&mut request).await;
                let head = format!(
                    "HTTP/1.1 200 OK\r\ncontent-type: video/mp4\r\ncontent-length: {}\r\n\r\n",
                    body.len()
                );
                socket.write_all(head.as_bytes()).await.unwrap();
                if nth == 0 {
                    socket.write_all(&body[..body.len() / 2]).await.unwrap();
                    socket.flush().await.unwrap();
                    half_sent.send(()).await.unwrap();
                    tokio::time::sleep(Duration::from_secs(3600)).await;
                } else {
                    socket.write_all(&body).await.unwrap();
                }
            });
        }
    });
    (address, served, half_sent_rx)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_worker_killed_mid_download_is_replaced_and_the_copy_restarts_cleanly() {
    for store in every_backend().await {
        let body = file_bytes("killed", 3_000_000);
        let (files, served, mut half_sent) = half_then_hang(body.clone()).await;
        let daily = MockServer::start().await;
        Mock::given(method("GET"))
            .and(path("/v1/recordings/rec-k/access-link"))
            .respond_with(
                ResponseTemplate::new(200)
                    .set_body_json(json!({"download_link": format!("{files}/rec-k.mp4"), "expires": 0})),
            )
            .mount(&daily)
            .await;
        let hooks = hooks_with(store, &daily_env(&daily, &[("JOB_LEASE_SECONDS", "1")])).await;
        let state = hooks.api.state.clone();
        hooks.meeting(Platform::Daily, "m-k", "kill-room").await;
        hooks.daily(&ready_event("e-k", "rec-k", "kill-room")).await;

        let doomed = tokio::spawn({
            let state = state.clone();
            async move { run_one(&state, "doomed").await }
        });
        tokio::time::timeout(Duration::from_secs(10), half_sent.recv())
            .await
            .expect("the first download got half way");
        let midway = hooks.store.recording_by_id("rec-k").await.unwrap().unwrap();
        assert_eq!(midway.status, RecordingStatus::Processing);
        doomed.abort();
        let _ = doomed.await;
        // What a SIGKILL leaves behind in local storage: a staging file.
        let final_path = storage_dir(&state).join("recordings/m-k/rec-k.mp4");
        let staging = final_path.with_file_name("rec-k.mp4#1");
        std::fs::create_dir_all(staging.parent().unwrap()).unwrap();
        std::fs::write(&staging, &body[..1000]).unwrap();
        assert!(
            !final_path.exists(),
            "nothing under the final key before the copy completes"
        );

        // Nobody may take the job while the dead worker's lease runs...
        let (_stop, mut stopped) = watch::channel(false);
        let successor = Runner::new(state.clone(), "successor");
        assert!(successor.run_next(&mut stopped).await.unwrap().is_none());
        // ...then the successor does, and starts the copy over.
        tokio::time::sleep(Duration::from_millis(1200)).await;
        let (job, outcome) = successor
            .run_next(&mut stopped)
            .await
            .unwrap()
            .expect("taken over");
        assert_eq!(outcome, Outcome::Completed);
        assert_eq!(job.attempts, 2);
        let recording = hooks.store.recording_by_id("rec-k").await.unwrap().unwrap();
        assert_eq!(recording.status, RecordingStatus::Completed);
        assert_eq!(recording.size_bytes, Some(body.len() as i64));
        assert_eq!(recording.sha256.as_deref(), Some(sha256_hex(&body).as_str()));
        assert_eq!(std::fs::read(&final_path).unwrap(), body);
        assert!(!staging.exists(), "the interrupted upload was swept");
        assert_eq!(served.load(Ordering::SeqCst), 2);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn workers_of_two_processes_fetch_each_recording_exactly_once() {
    for url in every_backend_url().await {
        let daily = fake_daily_recordings().await;
        let mut env = daily_env(
            &daily,
            &[("WORKER_CONCURRENCY", "3"), ("JOB_POLL_INTERVAL_MS", "20")],
        );
        env.push(("DATABASE_URL".into(), url.clone()));
        let first = hooks_with(Store::connect(&url).await.unwrap(), &env).await;
        let second = hooks_with(Store::connect(&url).await.unwrap(), &env).await;
        first.meeting(Platform::Daily, "m-two", "two-room").await;
        const RECORDINGS: usize = 12;
        for n in 0..RECORDINGS {
            let (status, _) = first
                .daily(&ready_event(&format!("e-{n}"), &format!("rec-{n}"), "two-room"))
                .await;
            assert_eq!(status, StatusCode::OK);
        }
        let (stop, stopped) = watch::channel(false);
        let mut tasks = run_workers(&first.api.state, stopped.clone());
        tasks.extend(run_workers(&second.api.state, stopped));
        let deadline = tokio::time::Instant::now() + Duration::from_secs(60);
        loop {
            let done = first
                .store
                .list_jobs(Some(JobStatus::Completed), 100)
                .await
                .unwrap();
            if done.iter().filter(|job| job.kind == "process_recording").count() == RECORDINGS {
                break;
            }
            assert!(
                tokio::time::Instant::now() < deadline,
                "recordings not processed in time ({url})"
            );
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        stop.send(true).unwrap();
        for task in tasks {
            task.await.unwrap();
        }
        for n in 0..RECORDINGS {
            let id = format!("rec-{n}");
            assert_eq!(
                requests_to(&daily, "GET", &format!("/v1/recordings/{id}/access-link")).await,
                1,
                "{id}"
            );
            assert_eq!(
                requests_to(&daily, "GET", &format!("/files/{id}.mp4")).await,
                1,
                "{id}"
            );
            let recording = first.store.recording_by_id(&id).await.unwrap().unwrap();
            assert_eq!(recording.status, RecordingStatus::Completed);
        }
        let jobs = first.store.list_jobs(None, 100).await.unwrap();
        assert!(jobs
            .iter()
            .filter(|job| job.kind == "process_recording")
            .all(|job| job.attempts == 1));
    }
}

#[tokio::test]
async fn a_whereby_recording_is_read_from_its_s3_bucket_with_signed_requests() {
    let bucket = MockServer::start().await;
    let body = file_bytes("whereby", 50_000);
    Mock::given(method("GET"))
        .and(path("/whereby-recordings/myroom-2026.mp4"))
        .respond_with(
            ResponseTemplate::new(200)
                .insert_header("etag", "\"abc\"")
                .insert_header("last-modified", "Tue, 24 Nov 2026 10:00:00 GMT")
                .set_body_bytes(body.clone()),
        )
        .expect(1)
        .mount(&bucket)
        .await;
    let env: Vec<(String, String)> = [
        ("WHEREBY_API_KEY", "fake-whereby-key"),
        ("AWS_WHEREBY_S3_BUCKET", "whereby-recordings"),
        ("AWS_WHEREBY_ACCESS_KEY_ID", "AKIDEXAMPLE"),
        ("AWS_WHEREBY_ACCESS_KEY_SECRET", "whereby-bucket-secret"),
        ("AWS_WHEREBY_S3_ENDPOINT", &bucket.uri()),
    ]
    .iter()
    .map(|(k, v)| (k.to_string(), v.to_string()))
    .collect();
    let hooks = hooks_with(app::server::store::testing::sqlite_store().await, &env).await;
    let meeting = hooks
        .meeting(Platform::Whereby, "w-meeting", "/myroom-uuid")
        .await;
    let finished = json!({"apiVersion": "1.0", "id": "evt-w", "createdAt": "2026-11-24T10:00:00.000Z", "type": "recording.finished",
                          "data": {"recordingId": "wr-s3", "filename": "myroom-2026.mp4", "roomName": "/myroom-uuid", "status": "completed"}});
    assert_eq!(hooks.whereby(&finished).await.0, StatusCode::OK);
    assert_eq!(run_one(&hooks.api.state, "w").await, Outcome::Completed);
    let recording = hooks.store.recording_by_id("wr-s3").await.unwrap().unwrap();
    assert_eq!(recording.status, RecordingStatus::Completed);
    assert_eq!(recording.sha256.as_deref(), Some(sha256_hex(&body).as_str()));
    assert_eq!(
        recording.storage_key.as_deref(),
        Some(format!("recordings/{meeting}/wr-s3.mp4").as_str())
    );
    let requests = bucket.received_requests().await.unwrap();
    let authorization = requests[0].headers["authorization"].to_str().unwrap();
    assert!(
        authorization.starts_with("AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/"),
        "{authorization}"
    );
}

#[tokio::test]
async fn a_whereby_hosted_recording_is_fetched_through_its_access_link() {
    let whereby = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/v1/recordings/wr-hosted/access-link"))
        .respond_with(ResponseTemplate::new(200).set_body_json(
            json!({"accessLink": format!("{}/files/wr-hosted.mp4", whereby.uri()), "expires": 1_900_000_000_000i64}),
        ))
        .mount(&whereby)
        .await;
    Mock::given(method("GET"))
        .and(path("/files/wr-hosted.mp4"))
        .respond_with(RecordingFile)
        .mount(&whereby)
        .await;
    let env = vec![
        ("WHEREBY_API_KEY".to_owned(), "fake-whereby-key".to_owned()),
        ("WHEREBY_API_URL".to_owned(), format!("{}/v1", whereby.uri())),
    ];
    let hooks = hooks_with(app::server::store::testing::sqlite_store().await, &env).await;
    hooks.meeting(Platform::Whereby, "w-hosted", "/hosted-uuid").await;
    let finished = json!({"apiVersion": "1.0", "id": "evt-h", "createdAt": "2026-11-24T10:00:00.000Z", "type": "recording.finished",
                          "data": {"recordingId": "wr-hosted", "filename": "hosted.mp4", "roomName": "/hosted-uuid", "status": "completed"}});
    assert_eq!(hooks.whereby(&finished).await.0, StatusCode::OK);
    assert_eq!(run_one(&hooks.api.state, "w").await, Outcome::Completed);
    let recording = hooks.store.recording_by_id("wr-hosted").await.unwrap().unwrap();
    assert_eq!(recording.size_bytes, Some(200_000));
}
