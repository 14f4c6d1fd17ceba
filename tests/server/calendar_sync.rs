//! Calendar sync end to end, on SQLite and PostgreSQL, against a calendar
//! served on loopback: events appear, an unchanged feed costs a 304 and no
//! writes, events removed from the feed go and come back, meetings are
//! made ahead of their events once (also with two processes), move with
//! their event and are cancelled with it, and a calendar meeting with
//! someone in it outlives its event's end.

use std::time::Duration as StdDuration;

use app::server::services::calendar::{meetings, sync};
use app::server::services::lifecycle::close_inactive_meetings;
use app::server::store::testing::{every_backend, postgres_store_with_url};
use app::server::store::{SessionEvent, Store};
use app::server::AppState;
use axum::http::StatusCode;
use chrono::{DateTime, Duration, Utc};
use serde_json::{json, Value};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

use crate::support::calendar_server::{event, feed, CalendarServer};
use crate::support::fake_platforms::{fake_daily, fake_whereby, platform_env, requests_to};
use crate::support::{state_for, TestApi};

const BASE: &str = "https://rooms.example.test";

fn minute(at: DateTime<Utc>) -> DateTime<Utc> {
    at - Duration::seconds(at.timestamp() % 60) - Duration::nanoseconds(at.timestamp_subsec_nanos() as i64)
}

struct Calendar {
    api: TestApi,
    owner: String,
    server: CalendarServer,
    url: String,
}

async fn calendar_room(store: Store, extra: &[(String, String)], events: &[String]) -> Calendar {
    let (server, url) = CalendarServer::start("127.0.0.1", &feed(events)).await;
    let mut settings = vec![
        ("ALLOW_PRIVATE_NETWORK_URLS", "true"),
        ("BASE_URL", BASE),
        ("ENABLE_MOCK_PLATFORM", "true"),
    ];
    settings.extend(extra.iter().map(|(k, v)| (k.as_str(), v.as_str())));
    let api = TestApi::new(state_for(store, &settings));
    let owner = api.user("owner@example.com").await;
    let platform = if extra.iter().any(|(k, _)| k == "DAILY_API_KEY") {
        "daily"
    } else {
        "mock"
    };
    let (status, room) = api
        .call(
            "POST",
            "/v1/rooms",
            Some(&owner),
            Some(json!({"name": "team-sync", "platform": platform, "ics_url": url, "ics_enabled": true, "is_shared": true})),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{room}");
    Calendar {
        api,
        owner,
        server,
        url,
    }
}

impl Calendar {
    async fn sync(&self) -> Value {
        let (status, result) = self
            .api
            .call("POST", "/v1/rooms/team-sync/ics/sync", Some(&self.owner), None)
            .await;
        assert_eq!(status, StatusCode::OK, "{result}");
        result
    }

    async fn events(&self, auth: Option<&str>) -> Vec<Value> {
        let (status, events) = self
            .api
            .call("GET", "/v1/rooms/team-sync/meetings", auth, None)
            .await;
        assert_eq!(status, StatusCode::OK);
        events.as_array().unwrap().clone()
    }

    fn state(&self) -> &AppState {
        &self.api.state
    }

    async fn calendar_meetings(&self) -> Vec<app::types::Meeting> {
        self.state().store.active_calendar_meetings().await.unwrap()
    }
}

#[tokio::test]
async fn a_calendar_brings_its_events_and_their_meetings() {
    for store in every_backend().await {
        let backend = store.backend();
        let now = minute(Utc::now());
        let soon = now + Duration::minutes(3);
        let later = now + Duration::hours(2);
        let room_url = format!("{BASE}/team-sync");
        let events = [
            event("standup", "Stand-up", soon, 30, &room_url, ""),
            event(
                "review",
                "Review",
                later,
                60,
                &format!("Room: {room_url} (2nd floor)"),
                "",
            ),
            event(
                "other",
                "Someone else's",
                soon,
                30,
                &format!("{BASE}/team-sync-2"),
                "",
            ),
        ];
        let calendar = calendar_room(store.clone(), &[], &events).await;

        let result = calendar.sync().await;
        assert_eq!(result["status"], "success", "{backend:?}: {result}");
        assert_eq!(
            (result["events_found"].as_i64(), result["total_events"].as_i64()),
            (Some(2), Some(3))
        );
        assert_eq!(result["events_created"], 2);
        let listed = calendar.events(Some(&calendar.owner)).await;
        assert_eq!(
            listed
                .iter()
                .map(|e| e["title"].as_str().unwrap())
                .collect::<Vec<_>>(),
            ["Stand-up", "Review"]
        );
        assert_eq!(listed[0]["attendees"][0]["email"], "ann@example.com");
        let public = calendar.events(None).await;
        assert_eq!(public[0]["description"], Value::Null, "the agenda is the owner's");
        assert_eq!(public[0]["attendees"], Value::Null);
        let (_, soon_only) = calendar
            .api
            .call(
                "GET",
                "/v1/rooms/team-sync/meetings/upcoming?minutes_ahead=30",
                None,
                None,
            )
            .await;
        assert_eq!(soon_only.as_array().unwrap().len(), 1);

        // The meeting of what starts within five minutes, once.
        meetings::prepare(calendar.state(), Utc::now()).await.unwrap();
        meetings::prepare(calendar.state(), Utc::now()).await.unwrap();
        let made = calendar.calendar_meetings().await;
        assert_eq!(made.len(), 1, "{backend:?}");
        assert_eq!(made[0].start_date, soon);
        assert_eq!(made[0].calendar_metadata.as_ref().unwrap()["title"], "Stand-up");

        // Unchanged: one 304, no event written.
        let before = calendar.events(Some(&calendar.owner)).await;
        let full_answers = calendar.server.full();
        let result = calendar.sync().await;
        assert_eq!(result["status"], "unchanged");
        assert_eq!(
            (calendar.server.full(), calendar.server.not_modified()),
            (full_answers, 1)
        );
        assert_eq!(
            calendar.events(Some(&calendar.owner)).await,
            before,
            "nothing rewritten"
        );

        // The review leaves the feed, then comes back.
        calendar
            .server
            .set(&feed(&[events[0].clone(), events[2].clone()]));
        let result = calendar.sync().await;
        assert_eq!(result["events_deleted"], 1);
        assert_eq!(calendar.events(None).await.len(), 1);
        calendar.server.set(&feed(&events));
        let result = calendar.sync().await;
        assert_eq!(
            (
                result["events_created"].as_i64(),
                result["events_updated"].as_i64()
            ),
            (Some(0), Some(1))
        );
        assert_eq!(calendar.events(None).await.len(), 2, "restored");

        // The stand-up moves before it started: its meeting moves with it.
        let moved = now + Duration::minutes(4);
        calendar.server.set(&feed(&[
            event("standup", "Stand-up", moved, 30, &room_url, ""),
            events[1].clone(),
        ]));
        calendar.sync().await;
        meetings::prepare(calendar.state(), Utc::now()).await.unwrap();
        let made = calendar.calendar_meetings().await;
        assert_eq!((made.len(), made[0].start_date), (1, moved), "{backend:?}");
        assert_eq!(
            made[0].end_date,
            moved + Duration::minutes(30) + meetings::OVERRUN
        );

        // Then it is cancelled: so is its meeting.
        calendar.server.set(&feed(&[
            event(
                "standup",
                "Stand-up",
                moved,
                30,
                &room_url,
                "STATUS:CANCELLED\r\n",
            ),
            events[1].clone(),
        ]));
        let result = calendar.sync().await;
        assert_eq!(result["events_deleted"], 1);
        meetings::prepare(calendar.state(), Utc::now()).await.unwrap();
        assert!(calendar.calendar_meetings().await.is_empty(), "{backend:?}");
        let (_, status) = calendar
            .api
            .call(
                "GET",
                "/v1/rooms/team-sync/ics/status",
                Some(&calendar.owner),
                None,
            )
            .await;
        assert_eq!(status["status"], "enabled");
        assert_eq!(status["events_count"], 1);
        assert_eq!(status["last_result"]["status"], "success");
        assert!(status["next_sync"].is_string());
    }
}

#[tokio::test]
async fn due_calendars_are_synced_by_the_job_and_a_broken_feed_changes_nothing() {
    for store in every_backend().await {
        let now = minute(Utc::now());
        let room_url = format!("{BASE}/team-sync");
        let calendar = calendar_room(
            store,
            &[],
            &[event(
                "e",
                "Planning",
                now + Duration::hours(1),
                30,
                &room_url,
                "",
            )],
        )
        .await;
        assert_eq!(sync::queue_due(calendar.state(), Utc::now()).await.unwrap(), 1);
        assert_eq!(
            sync::queue_due(calendar.state(), Utc::now()).await.unwrap(),
            0,
            "one sync per room at a time"
        );
        let (_stop, mut stopped) = tokio::sync::watch::channel(false);
        let runner = app::server::jobs::Runner::new(calendar.state().clone(), "calendar-worker");
        let (job, _) = runner.run_next(&mut stopped).await.unwrap().unwrap();
        assert_eq!(job.kind, "sync_calendar");
        assert_eq!(calendar.events(None).await.len(), 1);
        assert_eq!(
            sync::queue_due(calendar.state(), Utc::now()).await.unwrap(),
            0,
            "not due again before its interval"
        );

        calendar.server.set("<html>Service Unavailable</html>");
        let result = calendar.sync().await;
        assert_eq!(result["status"], "error");
        assert!(
            result["error"].as_str().unwrap().contains("could not be read"),
            "{result}"
        );
        assert_eq!(
            calendar.events(None).await.len(),
            1,
            "a broken feed cancels nothing"
        );
        let gone = format!("{}-gone", calendar.url);
        calendar
            .api
            .call(
                "PATCH",
                &room_path(&calendar).await,
                Some(&calendar.owner),
                Some(json!({"ics_url": gone})),
            )
            .await;
        let (_, status) = calendar
            .api
            .call(
                "GET",
                "/v1/rooms/team-sync/ics/status",
                Some(&calendar.owner),
                None,
            )
            .await;
        assert_eq!(
            (&status["last_sync"], &status["last_etag"], &status["last_result"]),
            (&Value::Null, &Value::Null, &Value::Null),
            "a new address starts afresh: {status}"
        );
        assert_eq!(
            sync::queue_due(calendar.state(), Utc::now()).await.unwrap(),
            1,
            "a new address is due at once"
        );
        let result = calendar.sync().await;
        assert!(result["error"].as_str().unwrap().contains("404"), "{result}");
    }
}

async fn room_path(calendar: &Calendar) -> String {
    let (_, room) = calendar
        .api
        .call("GET", "/v1/rooms/name/team-sync", None, None)
        .await;
    format!("/v1/rooms/{}", room["id"].as_str().unwrap())
}

/// Two server processes on one PostgreSQL prepare the same event's meeting
/// at once: one platform room, one meeting.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn an_events_meeting_is_made_once_by_two_processes() {
    let Some((store, url)) = postgres_store_with_url().await else {
        return;
    };
    let daily = fake_daily(StdDuration::from_millis(300)).await;
    let whereby = fake_whereby().await;
    let env = platform_env(&daily, &whereby);
    let now = minute(Utc::now());
    let room_url = format!("{BASE}/team-sync");
    let calendar = calendar_room(
        store,
        &env,
        &[event(
            "e",
            "All hands",
            now + Duration::minutes(2),
            60,
            &room_url,
            "",
        )],
    )
    .await;
    calendar.sync().await;
    let mut settings: Vec<(&str, &str)> = env.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    settings.extend([("ALLOW_PRIVATE_NETWORK_URLS", "true"), ("BASE_URL", BASE)]);
    let other = state_for(Store::connect(&url).await.unwrap(), &settings);
    let at = Utc::now();
    let (a, b) = tokio::join!(
        meetings::prepare(calendar.state(), at),
        meetings::prepare(&other, at)
    );
    a.unwrap();
    b.unwrap();
    assert_eq!(calendar.calendar_meetings().await.len(), 1);
    assert_eq!(
        requests_to(&daily, "POST", "/v1/rooms").await,
        1,
        "one platform room"
    );
}

/// People still in a calendar meeting after its event's end keep it; once
/// they have left, it ends.
#[tokio::test]
async fn a_calendar_meeting_with_someone_in_it_outlives_its_event() {
    for store in every_backend().await {
        let daily = MockServer::start().await;
        Mock::given(method("POST"))
            .and(path("/v1/rooms"))
            .respond_with(ResponseTemplate::new(200).set_body_json(json!({
                "id": uuid::Uuid::new_v4().to_string(), "name": "team-sync-cal", "url": "https://fake.daily.co/team-sync-cal"
            })))
            .mount(&daily)
            .await;
        let here = ResponseTemplate::new(200).set_body_json(json!({"total_count": 1, "data": [
            {"room": "team-sync-cal", "id": "p-1", "joinTime": "2026-11-30T10:00:00.000Z"}]}));
        let presence = || Mock::given(method("GET")).and(path("/v1/rooms/team-sync-cal/presence"));
        let env = vec![
            ("DAILY_API_KEY".to_owned(), "k".to_owned()),
            ("DAILY_API_URL".to_owned(), format!("{}/v1", daily.uri())),
        ];
        let now = minute(Utc::now());
        let room_url = format!("{BASE}/team-sync");
        let calendar = calendar_room(
            store.clone(),
            &env,
            &[event("e", "Retro", now + Duration::minutes(1), 30, &room_url, "")],
        )
        .await;
        calendar.sync().await;
        meetings::prepare(calendar.state(), Utc::now()).await.unwrap();
        let meeting = calendar.calendar_meetings().await.remove(0);
        store
            .record_session(
                &meeting,
                &SessionEvent {
                    session_id: "p-1",
                    user_id: None,
                    user_name: Some("Ann"),
                    joined_at: Utc::now(),
                    left_at: None,
                },
            )
            .await
            .unwrap();
        let present = presence().respond_with(here).mount_as_scoped(&daily).await;
        let after_the_event = now + Duration::minutes(45);
        assert_eq!(
            close_inactive_meetings(calendar.state(), after_the_event)
                .await
                .unwrap(),
            0
        );
        assert!(
            store.meeting_by_id(&meeting.id).await.unwrap().unwrap().is_active,
            "running over"
        );
        drop(present);
        presence()
            .respond_with(ResponseTemplate::new(200).set_body_json(json!({"total_count": 0, "data": []})))
            .mount(&daily)
            .await;
        let everyone_gone = after_the_event + Duration::minutes(10);
        assert_eq!(
            close_inactive_meetings(calendar.state(), everyone_gone)
                .await
                .unwrap(),
            1
        );
    }
}

/// A calendar room's page shows its schedule rather than making a meeting:
/// the meeting made ahead of its event (to join early), the later event
/// without one, and starting now (which joins a waiting meeting rather than
/// making a second).
#[tokio::test]
async fn a_calendar_rooms_page_shows_its_schedule() {
    for store in every_backend().await {
        let backend = store.backend();
        let now = minute(Utc::now());
        let room_url = format!("{BASE}/team-sync");
        let events = [
            event(
                "standup",
                "Stand-up",
                now + Duration::minutes(3),
                30,
                &room_url,
                "",
            ),
            event("review", "Review", now + Duration::hours(2), 60, &room_url, ""),
            event(
                "tomorrow",
                "Too far",
                now + Duration::hours(30),
                60,
                &room_url,
                "",
            ),
        ];
        let calendar = calendar_room(store.clone(), &[], &events).await;
        let visit = |args: Value| calendar.api.server_fn("open_room", None, args);

        let (_, before_sync) = visit(json!({"room_name": "team-sync"})).await;
        assert_eq!(before_sync["call"], Value::Null, "{backend:?}: {before_sync}");
        assert_eq!(before_sync["upcoming"], json!([]));
        assert_eq!(before_sync["can_start"], true);

        calendar.sync().await;
        meetings::prepare(calendar.state(), Utc::now()).await.unwrap();
        let (status, page) = visit(json!({"room_name": "team-sync"})).await;
        assert_eq!(status, StatusCode::OK, "{page}");
        let upcoming = page["upcoming"].as_array().unwrap();
        let titles: Vec<_> = upcoming.iter().map(|e| e["title"].as_str().unwrap()).collect();
        assert_eq!(titles, ["Stand-up", "Review"], "{backend:?}");
        let early = upcoming[0]["meeting_id"].as_str().expect("made ahead");
        assert_eq!(upcoming[1]["meeting_id"], Value::Null);
        assert_eq!(
            upcoming[0]["starts_at"],
            (now + Duration::minutes(3)).timestamp_millis()
        );
        assert_eq!(
            calendar.calendar_meetings().await.len(),
            1,
            "looking made nothing"
        );

        let (_, joined) = visit(json!({"room_name": "team-sync", "meeting_id": early})).await;
        assert_eq!(joined["call"]["meeting_id"], early, "joining early");

        // Starting now while the stand-up's meeting waits: that meeting, not a
        // second platform room.
        let (_, started) = visit(json!({"room_name": "team-sync", "start_now": true})).await;
        assert_eq!(started["call"]["meeting_id"], early, "{backend:?}: {started}");
        let (_, active) = calendar
            .api
            .call("GET", "/v1/rooms/team-sync/meetings/active", None, None)
            .await;
        assert_eq!(active.as_array().unwrap().len(), 1, "{active}");

        // The rooms list names the next event; the form's summary says how the
        // last sync went, in words, to the owner only.
        let (_, overview) = calendar
            .api
            .server_fn("rooms_overview", Some(&calendar.owner), json!({}))
            .await;
        assert_eq!(overview[0]["next_event"]["title"], "Stand-up", "{overview}");
        let (status, summary) = calendar
            .api
            .server_fn(
                "room_calendar",
                Some(&calendar.owner),
                json!({"room_name": "team-sync"}),
            )
            .await;
        assert_eq!(status, StatusCode::OK, "{summary}");
        assert_eq!(summary["room_url"], room_url);
        assert_eq!(summary["events_count"], 2, "{summary}");
        assert_eq!(
            summary["last_result"],
            "2 events for this room (2 in the calendar from an hour ago to a day ahead): 2 new, 0 changed, 0 removed."
        );
        calendar.server.set("not a calendar");
        let (_, after) = calendar
            .api
            .server_fn(
                "sync_calendar_now",
                Some(&calendar.owner),
                json!({"room_name": "team-sync"}),
            )
            .await;
        assert_eq!(after["last_failed"], true, "{after}");
        assert!(
            after["last_result"]
                .as_str()
                .unwrap()
                .starts_with("The calendar could not be read"),
            "{after}"
        );
        let (status, _) = calendar
            .api
            .server_fn("room_calendar", None, json!({"room_name": "team-sync"}))
            .await;
        assert_eq!(status, StatusCode::UNAUTHORIZED);
    }
}
