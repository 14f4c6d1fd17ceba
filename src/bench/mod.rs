//! `reflector bench`: throughput and latency of the hot paths, measured over
//! real HTTP on loopback against a server started in this process.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use app::server::settings::Settings;
use app::server::store::Store;
use app::server::{services, AppState};
use app::types::{NewRoom, Platform};
use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use hmac::{Hmac, Mac};
use leptos::prelude::LeptosOptions;
use reqwest::Method;
use sha2::Sha256;

mod calendar;
mod room_webhooks;
mod transcripts;

use crate::cli::BenchArgs;
use crate::router::build_router;

const SPREAD_MEETINGS: usize = 50;

struct Scenario {
    name: &'static str,
    method: Method,
    path: String,
    authorization: Option<String>,
    body: Body,
}

#[derive(Clone)]
enum Body {
    None,
    Json(&'static str),
    /// Freshly signed Daily events, alternating `participant.joined` and
    /// `participant.left` of one session per pair, as people come and go,
    /// spread over the given meetings' rooms.
    SignedDailyPresence {
        secret: Vec<u8>,
        platform_rooms: Vec<String>,
    },
}

impl Body {
    fn for_request(&self, index: usize, run: &str) -> (Option<String>, Vec<(&'static str, String)>) {
        match self {
            Body::None => (None, Vec::new()),
            Body::Json(text) => (Some((*text).to_owned()), Vec::new()),
            Body::SignedDailyPresence {
                secret,
                platform_rooms,
            } => {
                let platform_room = &platform_rooms[(index / 2) % platform_rooms.len()];
                let now = chrono::Utc::now().timestamp();
                let kind = if index.is_multiple_of(2) {
                    "participant.joined"
                } else {
                    "participant.left"
                };
                let body = serde_json::json!({
                    "version": "1.0.0", "type": kind, "id": format!("bench-{run}-{platform_room}-{index}"), "event_ts": now,
                    "payload": {"room": platform_room, "session_id": format!("{run}-{}", index / 2),
                                "user_name": "bench", "joined_at": now, "duration": 1.0}
                })
                .to_string();
                let timestamp = now.to_string();
                let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(secret).expect("any key length");
                mac.update(timestamp.as_bytes());
                mac.update(b".");
                mac.update(body.as_bytes());
                let signature = STANDARD.encode(mac.finalize().into_bytes());
                (
                    Some(body),
                    vec![
                        ("x-webhook-timestamp", timestamp),
                        ("x-webhook-signature", signature),
                    ],
                )
            }
        }
    }
}

pub async fn run(args: BenchArgs) -> Result<(), String> {
    let data_dir = std::env::temp_dir().join(format!("reflector-bench-{}", uuid::Uuid::new_v4().simple()));
    let database_url = args
        .database_url
        .clone()
        .unwrap_or_else(|| format!("sqlite://{}", data_dir.join("bench.db").display()));
    let webhook_secret = [7u8; 32];
    let (transcription_url, service) = match &args.transcription_url {
        Some(url) => (url.clone(), "the given service"),
        None => (
            transcripts::instant_service().await?,
            "a service that answers at once",
        ),
    };
    let vars = [
        ("TRANSCRIPTION_BACKEND", "openai".to_owned()),
        ("TRANSCRIPTION_URL", transcription_url),
        ("TRANSCRIPTION_LANGUAGE", "en".to_owned()),
        ("DATA_DIR", data_dir.display().to_string()),
        ("DATABASE_URL", database_url),
        ("ENABLE_MOCK_PLATFORM", "true".to_owned()),
        ("DAILY_WEBHOOK_SECRET", STANDARD.encode(webhook_secret)),
        // The calendar feeds and the webhook receiver are on loopback.
        ("ALLOW_PRIVATE_NETWORK_URLS", "true".to_owned()),
    ];
    let settings =
        Settings::from_lookup(&|name| vars.iter().find(|(k, _)| *k == name).map(|(_, v)| v.clone()))
            .map_err(|e| e.to_string())?;
    let store = Store::connect(settings.database_url.expose())
        .await
        .map_err(|e| e.to_string())?;
    store.migrate().await.map_err(|e| e.to_string())?;
    let state = AppState::new(store.clone(), settings)?;

    let tag = uuid::Uuid::new_v4().simple().to_string();
    let owner = store
        .upsert_user(&format!("local:bench-{tag}"), "bench@example.com", None)
        .await
        .map_err(|e| e.to_string())?;
    let token = state.auth.tokens.issue(&owner).map_err(|e| e.to_string())?;
    let room_name = format!("bench-{}", &tag[..12]);
    store
        .insert_room(&NewRoom::with_defaults(&room_name, &owner.id, Platform::Mock))
        .await
        .map_err(|e| e.to_string())?;
    let caller_id = owner.id.clone();
    let caller = app::server::auth::Caller::signed_in(owner);
    let meeting = services::meetings::get_or_create(&state, &caller, &room_name, false)
        .await
        .map_err(|e| e.detail())?;

    let daily_room = store
        .insert_room(&NewRoom::with_defaults(
            format!("{room_name}-d"),
            &caller_id,
            Platform::Daily,
        ))
        .await
        .map_err(|e| e.to_string())?;
    // Real traffic spreads over many meetings; one meeting is the worst case
    // (its events take turns on its row).
    let mut daily_meetings = Vec::new();
    for n in 0..=SPREAD_MEETINGS {
        let platform_room = format!("{}-20260101120000-bench{n}", daily_room.name);
        let now = chrono::Utc::now();
        let meeting = store
            .insert_meeting(
                &daily_room,
                &app::types::NewMeeting {
                    id: uuid::Uuid::new_v4().to_string(),
                    room_name: platform_room.clone(),
                    room_url: format!("https://bench.daily.co/{platform_room}"),
                    host_room_url: format!("https://bench.daily.co/{platform_room}"),
                    start_date: now,
                    end_date: now + chrono::Duration::hours(8),
                    platform: Platform::Daily,
                    calendar_event_id: None,
                    calendar_metadata: None,
                    failover: None,
                },
            )
            .await
            .map_err(|e| e.to_string())?;
        daily_meetings.push(meeting);
    }
    let spread_rooms: Vec<String> = daily_meetings[1..].iter().map(|m| m.room_name.clone()).collect();
    let single_room = vec![daily_meetings[0].room_name.clone()];

    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .map_err(|e| e.to_string())?;
    let address = listener.local_addr().map_err(|e| e.to_string())?;
    let options = LeptosOptions::builder()
        .output_name("reflector")
        .site_root("target/site")
        .build();
    let router = build_router(state.clone(), options);
    tokio::spawn(async move { axum::serve(listener, router).await });

    let base = format!("http://{address}");
    let bearer = format!("Bearer {token}");
    let scenarios = [
        Scenario {
            name: "get-or-create, live meeting (anonymous)",
            method: Method::POST,
            path: format!("/v1/rooms/{room_name}/meeting"),
            authorization: None,
            body: Body::Json("{}"),
        },
        Scenario {
            name: "get-or-create, live meeting (signed in)",
            method: Method::POST,
            path: format!("/v1/rooms/{room_name}/meeting"),
            authorization: Some(bearer.clone()),
            body: Body::Json("{}"),
        },
        Scenario {
            name: "join (anonymous)",
            method: Method::POST,
            path: format!("/v1/rooms/{room_name}/meetings/{}/join", meeting.id),
            authorization: None,
            body: Body::None,
        },
        Scenario {
            name: "join (signed in)",
            method: Method::POST,
            path: format!("/v1/rooms/{room_name}/meetings/{}/join", meeting.id),
            authorization: Some(bearer.clone()),
            body: Body::None,
        },
        Scenario {
            name: "signed Daily webhook ingest, 50 meetings",
            method: Method::POST,
            path: "/v1/daily/webhook".to_owned(),
            authorization: None,
            body: Body::SignedDailyPresence {
                secret: webhook_secret.to_vec(),
                platform_rooms: spread_rooms,
            },
        },
        Scenario {
            name: "signed Daily webhook ingest, one meeting",
            method: Method::POST,
            path: "/v1/daily/webhook".to_owned(),
            authorization: None,
            body: Body::SignedDailyPresence {
                secret: webhook_secret.to_vec(),
                platform_rooms: single_room,
            },
        },
    ];
    println!(
        "{} database, {} requests per scenario, {} in flight, mock platform, loopback HTTP",
        store.backend().name(),
        args.requests,
        args.concurrency
    );
    println!(
        "{:<48} {:>10} {:>9} {:>9} {:>9}",
        "scenario", "req/s", "p50 ms", "p99 ms", "errors"
    );
    let client = reqwest::Client::builder()
        .pool_max_idle_per_host(args.concurrency)
        .build()
        .map_err(|e| e.to_string())?;
    for scenario in scenarios {
        measure(
            &client,
            &base,
            &scenario,
            args.requests.min(500),
            args.concurrency,
            "warmup",
        )
        .await;
        let (rate, p50, p99, errors) = measure(
            &client,
            &base,
            &scenario,
            args.requests,
            args.concurrency,
            "measured",
        )
        .await;
        println!(
            "{:<48} {:>10.0} {:>9.2} {:>9.2} {:>9}",
            scenario.name, rate, p50, p99, errors
        );
    }
    // Every accepted webhook must have left its mark: each join/leave pair
    // is one session, closed once both halves are in.
    let (mut sessions, mut open) = (0, 0);
    for meeting in &daily_meetings {
        let (recorded, still_open) = store
            .session_counts(&meeting.id)
            .await
            .map_err(|e| e.to_string())?;
        sessions += recorded;
        open += still_open;
    }
    let pairs = 2 * (args.requests.div_ceil(2) + args.requests.min(500).div_ceil(2)) as i64;
    let verdict = if sessions == pairs {
        "none lost"
    } else {
        "EVENTS LOST"
    };
    println!("webhook sessions recorded: {sessions} of {pairs} ({verdict}); still open: {open}");
    calendar::run(&state, &caller_id, &tag).await?;
    room_webhooks::run(&state, &caller_id, &tag).await?;
    transcripts::overhead(&state, &caller_id, &tag, service).await?;
    transcripts::search(
        &state,
        &caller_id,
        &tag,
        &base,
        &bearer,
        args.requests,
        args.concurrency,
    )
    .await?;
    store.close().await;
    let _ = std::fs::remove_dir_all(&data_dir);
    Ok(())
}

/// Sends `total` requests with `concurrency` in flight; answers requests per
/// second, p50 and p99 latency in milliseconds, and the count of non-2xx answers.
async fn measure(
    client: &reqwest::Client,
    base: &str,
    scenario: &Scenario,
    total: usize,
    concurrency: usize,
    run: &str,
) -> (f64, f64, f64, usize) {
    let next = Arc::new(AtomicUsize::new(0));
    let errors = Arc::new(AtomicUsize::new(0));
    let started = Instant::now();
    let workers: Vec<_> = (0..concurrency.max(1))
        .map(|_| {
            let (client, next, errors) = (client.clone(), next.clone(), errors.clone());
            let url = format!("{base}{}", scenario.path);
            let (method, authorization, body) = (
                scenario.method.clone(),
                scenario.authorization.clone(),
                scenario.body.clone(),
            );
            let run = run.to_owned();
            tokio::spawn(async move {
                let mut latencies = Vec::new();
                loop {
                    let index = next.fetch_add(1, Ordering::Relaxed);
                    if index >= total {
                        break;
                    }
                    let mut request = client.request(method.clone(), &url);
                    if let Some(value) = &authorization {
                        request = request.header("authorization", value);
                    }
                    let (payload, headers) = body.for_request(index, &run);
                    for (name, value) in headers {
                        request = request.header(name, value);
                    }
                    if let Some(payload) = payload {
                        request = request.header("content-type", "application/json").body(payload);
                    }
                    let sent = Instant::now();
                    let ok = match request.send().await {
                        Ok(response) => response.status().is_success() && response.bytes().await.is_ok(),
                        Err(_) => false,
                    };
                    latencies.push(sent.elapsed());
                    if !ok {
                        errors.fetch_add(1, Ordering::Relaxed);
                    }
                }
                latencies
            })
        })
        .collect();
    let mut latencies: Vec<Duration> = Vec::with_capacity(total);
    for worker in workers {
        latencies.extend(worker.await.unwrap_or_default());
    }
    let elapsed = started.elapsed().as_secs_f64();
    latencies.sort();
    let percentile = |p: f64| {
        latencies
            .get(((latencies.len() as f64 * p) as usize).min(latencies.len().saturating_sub(1)))
            .map(|d| d.as_secs_f64() * 1000.0)
            .unwrap_or(0.0)
    };
    (
        latencies.len() as f64 / elapsed,
        percentile(0.50),
        percentile(0.99),
        errors.load(Ordering::Relaxed),
    )
}

/// Lets the configured number of job workers run until the queue is empty.
async fn drain_jobs(state: &AppState, label: &str) -> Result<(), String> {
    let workers: Vec<_> = (0..state.settings.jobs.concurrency)
        .map(|slot| {
            let runner = app::server::jobs::Runner::new(state.clone(), format!("bench-{label}-{slot}"));
            tokio::spawn(async move {
                let (_keep, mut stopped) = tokio::sync::watch::channel(false);
                while let Ok(Some(_)) = runner.run_next(&mut stopped).await {}
            })
        })
        .collect();
    for worker in workers {
        worker.await.map_err(|e| e.to_string())?;
    }
    Ok(())
}
