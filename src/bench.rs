//! `reflector bench`: throughput and latency of the hot paths, measured over
//! real HTTP on loopback against a server started in this process.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use app::server::settings::Settings;
use app::server::store::Store;
use app::server::{services, AppState};
use app::types::{NewRoom, Platform};
use leptos::prelude::LeptosOptions;
use reqwest::Method;

use crate::cli::BenchArgs;
use crate::router::build_router;

struct Scenario {
    name: &'static str,
    method: Method,
    path: String,
    authorization: Option<String>,
    body: Option<&'static str>,
}

pub async fn run(args: BenchArgs) -> Result<(), String> {
    let data_dir = std::env::temp_dir().join(format!("reflector-bench-{}", uuid::Uuid::new_v4().simple()));
    let database_url = args
        .database_url
        .clone()
        .unwrap_or_else(|| format!("sqlite://{}", data_dir.join("bench.db").display()));
    let vars = [
        ("DATA_DIR", data_dir.display().to_string()),
        ("DATABASE_URL", database_url),
        ("ENABLE_MOCK_PLATFORM", "true".to_owned()),
    ];
    let settings =
        Settings::from_lookup(&|name| vars.iter().find(|(k, _)| *k == name).map(|(_, v)| v.clone()))
            .map_err(|e| e.to_string())?;
    let store = Store::connect(&settings.database_url)
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
    let caller = app::server::auth::Caller::signed_in(owner);
    let meeting = services::meetings::get_or_create(&state, &caller, &room_name, false)
        .await
        .map_err(|e| e.detail())?;

    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .map_err(|e| e.to_string())?;
    let address = listener.local_addr().map_err(|e| e.to_string())?;
    let options = LeptosOptions::builder()
        .output_name("reflector")
        .site_root("target/site")
        .build();
    let router = build_router(state, options);
    tokio::spawn(async move { axum::serve(listener, router).await });

    let base = format!("http://{address}");
    let bearer = format!("Bearer {token}");
    let scenarios = [
        Scenario {
            name: "get-or-create, live meeting (anonymous)",
            method: Method::POST,
            path: format!("/v1/rooms/{room_name}/meeting"),
            authorization: None,
            body: Some("{}"),
        },
        Scenario {
            name: "get-or-create, live meeting (signed in)",
            method: Method::POST,
            path: format!("/v1/rooms/{room_name}/meeting"),
            authorization: Some(bearer.clone()),
            body: Some("{}"),
        },
        Scenario {
            name: "join (anonymous)",
            method: Method::POST,
            path: format!("/v1/rooms/{room_name}/meetings/{}/join", meeting.id),
            authorization: None,
            body: None,
        },
        Scenario {
            name: "join (signed in)",
            method: Method::POST,
            path: format!("/v1/rooms/{room_name}/meetings/{}/join", meeting.id),
            authorization: Some(bearer),
            body: None,
        },
    ];
    println!(
        "{} database, {} requests per scenario, {} in flight, mock platform, loopback HTTP",
        store.backend().name(),
        args.requests,
        args.concurrency
    );
    println!(
        "{:<42} {:>10} {:>9} {:>9} {:>9}",
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
        )
        .await;
        let (rate, p50, p99, errors) =
            measure(&client, &base, &scenario, args.requests, args.concurrency).await;
        println!(
            "{:<42} {:>10.0} {:>9.2} {:>9.2} {:>9}",
            scenario.name, rate, p50, p99, errors
        );
    }
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
                scenario.body,
            );
            tokio::spawn(async move {
                let mut latencies = Vec::new();
                while next.fetch_add(1, Ordering::Relaxed) < total {
                    let mut request = client.request(method.clone(), &url);
                    if let Some(value) = &authorization {
                        request = request.header("authorization", value);
                    }
                    if let Some(body) = body {
                        request = request.header("content-type", "application/json").body(body);
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
