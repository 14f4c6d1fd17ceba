//! The calendar line of `reflector bench`: 1,000 rooms whose ICS feeds are
//! served on loopback, synced through the job queue by the server's own
//! workers: once with every feed new, then again with every feed unchanged
//! (each answered 304 to the stored ETag).

use std::time::Instant;

use app::server::services::calendar::sync;
use app::server::store::Store;
use app::server::AppState;
use app::types::{NewRoom, Platform};
use axum::extract::Path;
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use chrono::{Duration, Utc};

const ROOMS: usize = 1000;
const EVENTS_PER_FEED: usize = 6;

pub async fn run(state: &AppState, owner_id: &str, tag: &str) -> Result<(), String> {
    let feeds = serve_feeds(state.settings.base_url.clone(), tag.to_owned()).await?;
    let mut rooms = Vec::with_capacity(ROOMS);
    for n in 0..ROOMS {
        let mut room = NewRoom::with_defaults(room_name(tag, n), owner_id, Platform::Mock);
        room.ics_url = Some(format!("{feeds}/cal/{n}"));
        room.ics_enabled = true;
        rooms.push(
            state
                .store
                .insert_room(&room)
                .await
                .map_err(|e| e.to_string())?
                .id,
        );
    }
    let first = sync_all(state, &rooms, Duration::zero()).await?;
    let events = count_events(&state.store, &rooms).await?;
    let second = sync_all(state, &rooms, Duration::hours(1)).await?;
    let workers = state.settings.jobs.concurrency;
    for (pass, outcome) in [("new feeds", first), ("unchanged feeds", second)] {
        println!(
            "ICS sync of {} rooms, {pass}, {workers} workers: {:.0} rooms/s ({:.2} s); 304s {}, failed {}",
            outcome.synced, outcome.rate, outcome.seconds, outcome.unchanged, outcome.failed
        );
    }
    let expected = ROOMS * EVENTS_PER_FEED / 2;
    let verdict = if events == expected {
        "all"
    } else {
        "EVENTS MISSING"
    };
    println!("calendar events stored: {events} of {expected} ({verdict})");
    Ok(())
}

fn room_name(tag: &str, n: usize) -> String {
    format!("cal-{}-{n}", &tag[..8])
}

struct Pass {
    synced: usize,
    unchanged: usize,
    failed: usize,
    seconds: f64,
    rate: f64,
}

/// Queues every due calendar as the scheduler does (`later`: as if that
/// much time had passed), then lets the configured number of job workers
/// drain the queue; tallies the rooms' recorded results.
async fn sync_all(state: &AppState, rooms: &[String], later: Duration) -> Result<Pass, String> {
    let (started, since) = (Instant::now(), Utc::now());
    sync::queue_due(state, since + later)
        .await
        .map_err(|e| e.to_string())?;
    super::drain_jobs(state, "calendar").await?;
    let seconds = started.elapsed().as_secs_f64();
    let (mut synced, mut unchanged, mut failed) = (0, 0, 0);
    for room_id in rooms {
        let (result, _) = state
            .store
            .calendar_sync_state(room_id)
            .await
            .map_err(|e| e.to_string())?;
        let Some(result) = result.filter(|result| result.synced_at >= since) else {
            continue;
        };
        synced += 1;
        match result.status {
            app::types::IcsSyncStatus::Unchanged => unchanged += 1,
            app::types::IcsSyncStatus::Error => failed += 1,
            app::types::IcsSyncStatus::Success => {}
        }
    }
    Ok(Pass {
        synced,
        unchanged,
        failed,
        seconds,
        rate: synced as f64 / seconds,
    })
}

async fn count_events(store: &Store, rooms: &[String]) -> Result<usize, String> {
    let mut total = 0;
    for room_id in rooms {
        total += store
            .calendar_event_count(room_id)
            .await
            .map_err(|e| e.to_string())? as usize;
    }
    Ok(total)
}

/// Serves `/cal/{n}`: room n's feed, half of whose events name the room,
/// with an ETag and 304 to a matching `If-None-Match`; answers the base URL.
async fn serve_feeds(base_url: String, tag: String) -> Result<String, String> {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .map_err(|e| e.to_string())?;
    let address = listener.local_addr().map_err(|e| e.to_string())?;
    let today = Utc::now();
    let router = axum::Router::new().route(
        "/cal/{n}",
        axum::routing::get(move |Path(n): Path<usize>, headers: HeaderMap| {
            let (base_url, tag) = (base_url.clone(), tag.clone());
            async move { feed(&base_url, &tag, n, today, &headers) }
        }),
    );
    tokio::spawn(async move { axum::serve(listener, router).await });
    Ok(format!("http://{address}"))
}

fn feed(base_url: &str, tag: &str, n: usize, today: chrono::DateTime<Utc>, headers: &HeaderMap) -> Response {
    let etag = format!("\"feed-{n}\"");
    if headers.get(header::IF_NONE_MATCH).and_then(|v| v.to_str().ok()) == Some(etag.as_str()) {
        return StatusCode::NOT_MODIFIED.into_response();
    }
    let room_url = format!("{base_url}/{}", room_name(tag, n));
    let stamp = |at: chrono::DateTime<Utc>| at.format("%Y%m%dT%H%M00Z").to_string();
    let mut ics = String::from("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//bench//EN\r\n");
    for event in 0..EVENTS_PER_FEED {
        let start = today + Duration::hours(2 + event as i64);
        let location = if event % 2 == 0 {
            room_url.clone()
        } else {
            format!("{base_url}/elsewhere")
        };
        ics.push_str(&format!(
            "BEGIN:VEVENT\r\nUID:bench-{n}-{event}\r\nDTSTAMP:{}\r\nDTSTART:{}\r\nDTEND:{}\r\nSUMMARY:Meeting {event}\r\nLOCATION:{location}\r\nEND:VEVENT\r\n",
            stamp(today),
            stamp(start),
            stamp(start + Duration::minutes(30)),
        ));
    }
    ics.push_str("END:VCALENDAR\r\n");
    (
        [
            (header::ETAG, etag),
            (header::CONTENT_TYPE, "text/calendar".into()),
        ],
        ics,
    )
        .into_response()
}
