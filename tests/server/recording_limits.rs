//! Recording downloads always end: a source that stalls before its headers
//! or in the middle of the body fails the attempt within the read timeout
//! (the job retries, the worker moves on), and an upload to S3 that does not
//! complete, for whatever reason, is aborted, leaving no parts behind.
//! S3 here is a real S3-compatible server on loopback (moto, started by
//! `scripts/test` as `TEST_S3_ENDPOINT`).

use std::time::Duration;

use app::server::jobs::{Outcome, Runner};
use app::server::store::testing::{every_backend, sqlite_store};
use app::types::{Platform, RecordingStatus};
use serde_json::json;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::sync::watch;
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

use crate::webhooks::{hooks_with, Hooks};

/// How a fake recording source misbehaves.
#[derive(Clone, Copy)]
enum Source {
    /// Takes the connection, sends nothing.
    SilentBeforeHeaders,
    /// Sends the headers and `sent` bytes of `total`, then nothing.
    StopsAfter { sent: usize, total: usize },
    /// Sends the whole file of `total` bytes.
    Whole { total: usize },
    /// Sends the headers, then a byte every 200 ms: never silent for long,
    /// never done.
    Trickles,
}

/// Serves every request as `source` says; answers its base URL and a
/// signal that fires once the first response has sent all it will send.
async fn recording_source(source: Source) -> (String, tokio::sync::mpsc::Receiver<()>) {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let (sent_all, sent_all_rx) = tokio::sync::mpsc::channel(8);
    tokio::spawn(async move {
        while let Ok((mut socket, _)) = listener.accept().await {
            let sent_all = sent_all.clone();
            tokio::spawn(async move {
                let mut request = [0u8; 4096];
                let _ = socket.read(&mut request).await;
                let (sent, total) = match source {
                    Source::SilentBeforeHeaders => {
                        let _ = sent_all.send(()).await;
                        tokio::time::sleep(Duration::from_secs(3600)).await;
                        return;
                    }
                    Source::StopsAfter { sent, total } => (sent, total),
                    Source::Whole { total } => (total, total),
                    Source::Trickles => {
                        let head =
                            "HTTP/1.1 200 OK\r\ncontent-type: video/mp4\r\ncontent-length: 100000000\r\n\r\n";
                        let _ = socket.write_all(head.as_bytes()).await;
                        while socket.write_all(b"x").await.is_ok() && socket.flush().await.is_ok() {
                            tokio::time::sleep(Duration::from_millis(200)).await;
                        }
                        return;
                    }
                };
                let head =
                    format!("HTTP/1.1 200 OK\r\ncontent-type: video/mp4\r\ncontent-length: {total}\r\n\r\n");
                if socket.write_all(head.as_bytes()).await.is_err() {
                    return;
                }
                let body: Vec<u8> = (0..sent).map(|i| (i % 251) as u8).collect();
                if socket.write_all(&body).await.is_err() {
                    return;
                }
                let _ = socket.flush().await;
                let _ = sent_all.send(()).await;
                if sent < total {
                    tokio::time::sleep(Duration::from_secs(3600)).await;
                }
            });
        }
    });
    (base, sent_all_rx)
}

/// A fake Daily whose access links point each recording at its source.
async fn daily_with_links(links: &[(&str, &str)]) -> MockServer {
    let daily = MockServer::start().await;
    for (recording, source) in links {
        Mock::given(method("GET"))
            .and(path(format!("/v1/recordings/{recording}/access-link")))
            .respond_with(
                ResponseTemplate::new(200).set_body_json(
                    json!({"download_link": format!("{source}/{recording}.mp4"), "expires": 0}),
                ),
            )
            .mount(&daily)
            .await;
    }
    daily
}

fn env(daily: &MockServer, extra: &[(&str, &str)]) -> Vec<(String, String)> {
    let mut env: Vec<(String, String)> = [
        ("DAILY_API_KEY", "fake-daily-key"),
        ("PLATFORM_TIMEOUT_SECONDS", "2"),
        ("JOB_RETRY_BASE_SECONDS", "60"),
        ("RECORDING_READ_TIMEOUT_SECONDS", "1"),
    ]
    .iter()
    .map(|(k, v)| (k.to_string(), v.to_string()))
    .collect();
    env.push(("DAILY_API_URL".into(), format!("{}/v1", daily.uri())));
    env.extend(extra.iter().map(|(k, v)| (k.to_string(), v.to_string())));
    env
}

async fn announce(hooks: &Hooks, recording: &str) {
    let event = json!({"version": "1.0.0", "type": "recording.ready-to-download", "id": format!("evt-{recording}"),
        "payload": {"type": "cloud", "recording_id": recording, "room_name": "limits-room",
                    "start_ts": 1_800_000_000, "status": "finished", "duration": 60,
                    "s3_key": format!("acme/limits-room/{recording}.mp4")}});
    assert_eq!(hooks.daily(&event).await.0, 200);
}

/// Runs the next due job; a worker stuck for more than 20 s fails the test.
async fn next_outcome(runner: &Runner) -> Outcome {
    let (_stop, mut stopped) = watch::channel(false);
    tokio::time::timeout(Duration::from_secs(20), runner.run_next(&mut stopped))
        .await
        .expect("the worker is never stuck")
        .unwrap()
        .expect("a job was due")
        .1
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_stalled_source_fails_the_attempt_in_time_and_the_worker_moves_on() {
    for store in every_backend().await {
        let (silent, _) = recording_source(Source::SilentBeforeHeaders).await;
        let (stopping, _) = recording_source(Source::StopsAfter {
            sent: 100_000,
            total: 400_000,
        })
        .await;
        let (whole, _) = recording_source(Source::Whole { total: 300_000 }).await;
        let daily = daily_with_links(&[
            ("rec-silent", silent.as_str()),
            ("rec-stopping", stopping.as_str()),
            ("rec-whole", whole.as_str()),
        ])
        .await;
        let hooks = hooks_with(store, &env(&daily, &[])).await;
        hooks.meeting(Platform::Daily, "m-limits", "limits-room").await;
        for recording in ["rec-silent", "rec-stopping", "rec-whole"] {
            announce(&hooks, recording).await;
        }
        let runner = Runner::new(hooks.api.state.clone(), "only-worker");
        for (recording, what) in [
            ("rec-silent", "did not answer"),
            ("rec-stopping", "stopped sending"),
        ] {
            match next_outcome(&runner).await {
                Outcome::WillRetry(error) => {
                    assert!(
                        error.contains(what) && error.contains("RECORDING_READ_TIMEOUT_SECONDS"),
                        "{error}"
                    )
                }
                other => panic!("{recording}: {other:?}"),
            }
            let stalled = hooks.store.recording_by_id(recording).await.unwrap().unwrap();
            assert_eq!(
                stalled.status,
                RecordingStatus::Pending,
                "{recording} waits for its retry"
            );
            assert!(stalled.error.unwrap().contains(what));
        }
        assert_eq!(
            next_outcome(&runner).await,
            Outcome::Completed,
            "the same worker goes on"
        );
        let whole = hooks.store.recording_by_id("rec-whole").await.unwrap().unwrap();
        assert_eq!(whole.size_bytes, Some(300_000));
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_source_that_never_finishes_hits_the_download_deadline() {
    let (trickles, _) = recording_source(Source::Trickles).await;
    let daily = daily_with_links(&[("rec-trickles", trickles.as_str())]).await;
    let hooks = hooks_with(
        sqlite_store().await,
        &env(&daily, &[("RECORDING_DOWNLOAD_TIMEOUT_SECONDS", "2")]),
    )
    .await;
    hooks.meeting(Platform::Daily, "m-trickle", "limits-room").await;
    announce(&hooks, "rec-trickles").await;
    let runner = Runner::new(hooks.api.state.clone(), "only-worker");
    match next_outcome(&runner).await {
        Outcome::WillRetry(error) => {
            assert!(error.contains("RECORDING_DOWNLOAD_TIMEOUT_SECONDS"), "{error}")
        }
        other => panic!("{other:?}"),
    }
    let recording = hooks
        .store
        .recording_by_id("rec-trickles")
        .await
        .unwrap()
        .unwrap();
    assert_eq!(recording.status, RecordingStatus::Pending, "waits for its retry");
}

/// The S3-compatible server the S3 tests use: `TEST_S3_ENDPOINT`, which
/// `scripts/test` provides; without it they fail unless `SKIP_S3_TESTS=1`.
pub(crate) fn s3_endpoint() -> Option<String> {
    match std::env::var("TEST_S3_ENDPOINT") {
        Ok(url) if !url.is_empty() => Some(url.trim_end_matches('/').to_owned()),
        _ if std::env::var("SKIP_S3_TESTS").as_deref() == Ok("1") => None,
        _ => panic!(
            "TEST_S3_ENDPOINT is not set: the S3 tests need an S3-compatible server (scripts/test \
             starts one), or set SKIP_S3_TESTS=1 to skip them deliberately"
        ),
    }
}

/// Unfinished multipart uploads in the bucket (S3's ListMultipartUploads).
async fn unfinished_uploads(endpoint: &str, bucket: &str) -> usize {
    let listing = reqwest::get(format!("{endpoint}/{bucket}?uploads"))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    listing.matches("<UploadId>").count()
}

/// Waits (briefly) for the aborts a dropped upload sends on its own.
async fn no_unfinished_uploads(endpoint: &str, bucket: &str) {
    for _ in 0..100 {
        if unfinished_uploads(endpoint, bucket).await == 0 {
            return;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!(
        "{} unfinished multipart uploads left in {bucket}",
        unfinished_uploads(endpoint, bucket).await
    );
}

async fn s3_hooks(endpoint: &str, daily: &MockServer, extra: &[(&str, &str)]) -> (Hooks, String) {
    let bucket = format!("recordings-{}", uuid::Uuid::new_v4().simple());
    let created = reqwest::Client::new()
        .put(format!("{endpoint}/{bucket}"))
        .send()
        .await
        .unwrap();
    assert!(
        created.status().is_success(),
        "bucket created: {}",
        created.status()
    );
    let mut settings = vec![
        ("RECORDING_STORAGE", "s3"),
        ("RECORDING_STORAGE_S3_BUCKET", bucket.as_str()),
        ("RECORDING_STORAGE_S3_ENDPOINT", endpoint),
        ("RECORDING_STORAGE_S3_ACCESS_KEY_ID", "testing"),
        ("RECORDING_STORAGE_S3_SECRET_ACCESS_KEY", "testing"),
    ];
    settings.extend_from_slice(extra);
    let hooks = hooks_with(sqlite_store().await, &env(daily, &settings)).await;
    hooks.meeting(Platform::Daily, "m-s3", "limits-room").await;
    (hooks, bucket)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn uploads_to_s3_complete_or_leave_nothing_behind() {
    let Some(endpoint) = s3_endpoint() else {
        return;
    };
    // 9 MB then silence: one 8 MB part is already uploaded when it stalls.
    let (stalls, _) = recording_source(Source::StopsAfter {
        sent: 9 << 20,
        total: 12 << 20,
    })
    .await;
    let (whole, _) = recording_source(Source::Whole { total: 12 << 20 }).await;
    let daily = daily_with_links(&[("rec-stalls", stalls.as_str()), ("rec-whole", whole.as_str())]).await;
    let (hooks, bucket) = s3_hooks(&endpoint, &daily, &[]).await;
    announce(&hooks, "rec-stalls").await;
    announce(&hooks, "rec-whole").await;
    let runner = Runner::new(hooks.api.state.clone(), "s3-worker");

    assert!(matches!(next_outcome(&runner).await, Outcome::WillRetry(_)));
    no_unfinished_uploads(&endpoint, &bucket).await;
    let stalled = hooks.store.recording_by_id("rec-stalls").await.unwrap().unwrap();
    assert!(stalled.storage_key.is_none());

    assert_eq!(next_outcome(&runner).await, Outcome::Completed);
    no_unfinished_uploads(&endpoint, &bucket).await;
    let stored = hooks.store.recording_by_id("rec-whole").await.unwrap().unwrap();
    let key = stored.storage_key.expect("stored");
    let object = reqwest::get(format!("{endpoint}/{bucket}/{key}")).await.unwrap();
    assert_eq!(
        object.bytes().await.unwrap().len(),
        12 << 20,
        "the whole file, in two parts"
    );
}

/// Shut down (or losing its lease) in the middle of an upload, a worker
/// drops the copy: the upload is aborted there and then.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_worker_stopped_mid_upload_aborts_it() {
    let Some(endpoint) = s3_endpoint() else {
        return;
    };
    let (stalls, mut sent_all) = recording_source(Source::StopsAfter {
        sent: 9 << 20,
        total: 12 << 20,
    })
    .await;
    let daily = daily_with_links(&[("rec-stopped", stalls.as_str())]).await;
    let (hooks, bucket) = s3_hooks(&endpoint, &daily, &[("RECORDING_READ_TIMEOUT_SECONDS", "600")]).await;
    announce(&hooks, "rec-stopped").await;
    let runner = Runner::new(hooks.api.state.clone(), "stopping-worker");
    let (stop, mut stopped) = watch::channel(false);
    let working = tokio::spawn(async move { runner.run_next(&mut stopped).await });
    sent_all.recv().await.unwrap();
    // Give the first part time to reach S3, so there is an upload to abort.
    for _ in 0..100 {
        if unfinished_uploads(&endpoint, &bucket).await > 0 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert_eq!(
        unfinished_uploads(&endpoint, &bucket).await,
        1,
        "an upload is under way"
    );
    stop.send(true).unwrap();
    let (_, outcome) = working.await.unwrap().unwrap().unwrap();
    assert_eq!(outcome, Outcome::Released);
    no_unfinished_uploads(&endpoint, &bucket).await;
}
