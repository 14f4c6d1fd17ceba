//! The room webhook line of `reflector bench`: rooms whose webhook points at
//! a receiver on loopback, events recorded as participants come and go,
//! then delivered through the job queue by the server's own workers,
//! signed, in order per room. Counts what the receiver got.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Instant;

use app::server::services::room_webhooks::deliver;
use app::server::store::SessionEvent;
use app::server::AppState;
use app::types::{NewMeeting, NewRoom, Platform};
use chrono::{Duration, Utc};

const ROOMS: usize = 200;
const SESSIONS_PER_ROOM: usize = 5;

pub async fn run(state: &AppState, owner_id: &str, tag: &str) -> Result<(), String> {
    let (received, url) = serve_receiver().await?;
    let mut expected = 0;
    for n in 0..ROOMS {
        let mut room = NewRoom::with_defaults(format!("hook-{}-{n}", &tag[..8]), owner_id, Platform::Mock);
        room.webhook_url = Some(url.clone());
        room.webhook_secret = Some("bench-secret".into());
        let room = state.store.insert_room(&room).await.map_err(|e| e.to_string())?;
        let start = Utc::now();
        let meeting = state
            .store
            .insert_meeting(
                &room,
                &NewMeeting {
                    id: format!("hook-{}-{n}", &tag[..8]),
                    room_name: format!("hook-{}-{n}", &tag[..8]),
                    room_url: "http://mock/room".into(),
                    host_room_url: "http://mock/room".into(),
                    start_date: start,
                    end_date: start + Duration::hours(1),
                    platform: Platform::Mock,
                    calendar_event_id: None,
                    calendar_metadata: None,
                    failover: None,
                },
            )
            .await
            .map_err(|e| e.to_string())?;
        for session in 0..SESSIONS_PER_ROOM {
            let session_id = format!("s-{session}");
            state
                .store
                .record_session(
                    &meeting,
                    &SessionEvent {
                        session_id: &session_id,
                        user_id: None,
                        user_name: Some("Bench"),
                        joined_at: start,
                        left_at: Some(start + Duration::minutes(1)),
                    },
                )
                .await
                .map_err(|e| e.to_string())?;
        }
        // meeting.started, then each session's joined and left.
        expected += 1 + 2 * SESSIONS_PER_ROOM;
    }

    let started = Instant::now();
    deliver::queue_due(state, Utc::now())
        .await
        .map_err(|e| e.to_string())?;
    super::drain_jobs(state, "webhooks").await?;
    let seconds = started.elapsed().as_secs_f64();
    let got = received.load(Ordering::SeqCst);
    let verdict = if got == expected {
        "none lost"
    } else {
        "EVENTS LOST"
    };
    println!(
        "room webhook deliveries, {ROOMS} rooms, {} workers: {:.0} deliveries/s ({got} in {seconds:.2} s; {got} of {expected}, {verdict})",
        state.settings.jobs.concurrency,
        got as f64 / seconds,
    );
    Ok(())
}

/// A receiver that answers 200 and counts; answers its URL.
async fn serve_receiver() -> Result<(Arc<AtomicUsize>, String), String> {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .map_err(|e| e.to_string())?;
    let address = listener.local_addr().map_err(|e| e.to_string())?;
    let received = Arc::new(AtomicUsize::new(0));
    let counter = received.clone();
    let router = axum::Router::new().route(
        "/hook",
        axum::routing::post(move || {
            let counter = counter.clone();
            async move {
                counter.fetch_add(1, Ordering::SeqCst);
                "ok"
            }
        }),
    );
    tokio::spawn(async move { axum::serve(listener, router).await });
    Ok((received, format!("http://{address}/hook")))
}
