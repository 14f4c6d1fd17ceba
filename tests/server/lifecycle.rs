//! The meeting lifecycle jobs against a fake Daily API: presence
//! reconciliation and closing unused meetings, on both databases; a
//! platform that fails to answer never gets a meeting closed.

use app::server::services::lifecycle::{
    close_inactive_meetings, reconcile_daily_presence, PRESENCE_LAG_GRACE,
};
use app::server::store::testing::every_backend;
use app::server::store::{SessionEvent, Store};
use app::types::{NewMeeting, NewRoom, Platform};
use chrono::{Duration, Utc};
use serde_json::json;
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

use crate::support::state_for;

async fn daily_meeting(
    store: &Store,
    id: &str,
    platform_room: &str,
    started_ago: Duration,
) -> app::types::Meeting {
    let owner = store
        .upsert_user("local:o@example.com", "o@example.com", None)
        .await
        .unwrap();
    let room = store
        .insert_room(&NewRoom::with_defaults(
            format!("room-{id}"),
            &owner.id,
            Platform::Daily,
        ))
        .await
        .unwrap();
    let start = Utc::now() - started_ago;
    let meeting = NewMeeting {
        id: id.into(),
        room_name: platform_room.into(),
        room_url: format!("https://fake.daily.co/{platform_room}"),
        host_room_url: format!("https://fake.daily.co/{platform_room}"),
        start_date: start,
        end_date: start + Duration::hours(8),
        platform: Platform::Daily,
        calendar_event_id: None,
        calendar_metadata: None,
        failover: None,
    };
    store.insert_meeting(&room, &meeting).await.unwrap()
}

async fn presence(server: &MockServer, platform_room: &str, response: ResponseTemplate) {
    Mock::given(method("GET"))
        .and(path(format!("/v1/rooms/{platform_room}/presence")))
        .respond_with(response)
        .mount(server)
        .await;
}

fn env(daily: &MockServer) -> Vec<(String, String)> {
    vec![
        ("DAILY_API_KEY".into(), "fake-daily-key".into()),
        ("DAILY_API_URL".into(), format!("{}/v1", daily.uri())),
        ("PLATFORM_TIMEOUT_SECONDS".into(), "1".into()),
    ]
}

async fn open_ids(store: &Store, meeting_id: &str) -> Vec<String> {
    let open = store.open_sessions(meeting_id).await.unwrap();
    open.into_iter().map(|session| session.session_id).collect()
}

fn refs(env: &[(String, String)]) -> Vec<(&str, &str)> {
    env.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect()
}

#[tokio::test]
async fn presence_reconciliation_opens_missed_joins_and_closes_missed_leaves() {
    for store in every_backend().await {
        let daily = MockServer::start().await;
        presence(
            &daily,
            "present-room",
            ResponseTemplate::new(200).set_body_json(json!({"total_count": 1, "data": [
                {"room": "present-room", "id": "here-1", "userId": "u-9", "userName": "Ann",
                 "joinTime": "2026-11-24T10:00:00.000Z", "duration": 60}]})),
        )
        .await;
        presence(&daily, "flaky-room", ResponseTemplate::new(500)).await;
        let env = env(&daily);
        let state = state_for(store.clone(), &refs(&env));
        let present = daily_meeting(&store, "m-present", "present-room", Duration::minutes(5)).await;
        let flaky = daily_meeting(&store, "m-flaky", "flaky-room", Duration::minutes(5)).await;
        for meeting in [&present, &flaky] {
            store
                .record_session(
                    meeting,
                    &SessionEvent {
                        session_id: "gone-1",
                        user_id: None,
                        user_name: Some("Bob"),
                        joined_at: Utc::now() - Duration::minutes(4),
                        left_at: None,
                    },
                )
                .await
                .unwrap();
        }

        reconcile_daily_presence(&state, Utc::now()).await.unwrap();

        assert_eq!(open_ids(&store, "m-present").await, vec!["here-1".to_owned()]);
        assert_eq!(
            store
                .meeting_by_id("m-present")
                .await
                .unwrap()
                .unwrap()
                .num_clients,
            1
        );
        assert_eq!(store.session_counts("m-present").await.unwrap(), (2, 1));
        // Daily failed to answer for this one: left exactly as it was.
        assert_eq!(open_ids(&store, "m-flaky").await, vec!["gone-1".to_owned()]);
        assert_eq!(
            store.meeting_by_id("m-flaky").await.unwrap().unwrap().num_clients,
            1
        );

        // Running it again changes nothing.
        reconcile_daily_presence(&state, Utc::now()).await.unwrap();
        assert_eq!(store.session_counts("m-present").await.unwrap(), (2, 1));
    }
}

#[tokio::test]
async fn unused_meetings_close_but_a_platform_failure_never_closes_one() {
    for store in every_backend().await {
        let daily = MockServer::start().await;
        let empty = || ResponseTemplate::new(200).set_body_json(json!({"total_count": 0, "data": []}));
        presence(&daily, "left-room", empty()).await;
        presence(&daily, "unused-room", empty()).await;
        presence(&daily, "fresh-room", empty()).await;
        presence(&daily, "down-room", ResponseTemplate::new(503)).await;
        presence(
            &daily,
            "live-room",
            ResponseTemplate::new(200).set_body_json(json!({"total_count": 1, "data": [
                {"room": "live-room", "id": "p-1", "joinTime": "2026-11-24T10:00:00.000Z"}]})),
        )
        .await;
        let env = env(&daily);
        let state = state_for(store.clone(), &refs(&env));
        let left = daily_meeting(&store, "m-left", "left-room", Duration::minutes(10)).await;
        store
            .record_session(
                &left,
                &SessionEvent {
                    session_id: "s-1",
                    user_id: None,
                    user_name: None,
                    joined_at: Utc::now() - Duration::minutes(9),
                    left_at: None,
                },
            )
            .await
            .unwrap();
        daily_meeting(&store, "m-unused", "unused-room", Duration::minutes(31)).await;
        daily_meeting(&store, "m-fresh", "fresh-room", Duration::minutes(5)).await;
        daily_meeting(&store, "m-down", "down-room", Duration::hours(9)).await;
        daily_meeting(&store, "m-live", "live-room", Duration::hours(9)).await;

        assert_eq!(close_inactive_meetings(&state, Utc::now()).await.unwrap(), 2);

        let active = |id: &'static str| {
            let store = store.clone();
            async move { store.meeting_by_id(id).await.unwrap().unwrap().is_active }
        };
        assert!(
            !active("m-left").await,
            "everyone left (the leave webhook was missed)"
        );
        assert_eq!(open_ids(&store, "m-left").await, Vec::<String>::new());
        assert!(!active("m-unused").await, "nobody came in 30 minutes");
        assert!(active("m-fresh").await);
        assert!(
            active("m-down").await,
            "Daily failed to answer: kept, even past its end"
        );
        assert!(
            active("m-live").await,
            "someone is in the call, even past its end"
        );
    }
}

/// Someone whose join we recorded moments ago while the platform does not
/// list them yet (its view lags): the meeting stays, and so does their
/// session; once the platform had time to see them, its word counts.
#[tokio::test]
async fn a_participant_who_just_joined_is_not_closed_out_by_a_lagging_platform() {
    for store in every_backend().await {
        let daily = MockServer::start().await;
        presence(
            &daily,
            "lagging-room",
            ResponseTemplate::new(200).set_body_json(json!({"total_count": 0, "data": []})),
        )
        .await;
        let env = env(&daily);
        let state = state_for(store.clone(), &refs(&env));
        let meeting = daily_meeting(&store, "m-lag", "lagging-room", Duration::minutes(45)).await;
        let joined = Utc::now() - Duration::seconds(10);
        store
            .record_session(
                &meeting,
                &SessionEvent {
                    session_id: "just-in",
                    user_id: None,
                    user_name: Some("Cy"),
                    joined_at: joined,
                    left_at: None,
                },
            )
            .await
            .unwrap();
        let now = Utc::now();
        reconcile_daily_presence(&state, now).await.unwrap();
        assert_eq!(open_ids(&store, "m-lag").await, vec!["just-in".to_owned()]);
        assert_eq!(close_inactive_meetings(&state, now).await.unwrap(), 0);
        assert!(store.meeting_by_id("m-lag").await.unwrap().unwrap().is_active);

        let later = joined + PRESENCE_LAG_GRACE + Duration::seconds(1);
        reconcile_daily_presence(&state, later).await.unwrap();
        assert_eq!(
            open_ids(&store, "m-lag").await,
            Vec::<String>::new(),
            "Daily had time to see them"
        );
        assert_eq!(close_inactive_meetings(&state, later).await.unwrap(), 1);
    }
}
