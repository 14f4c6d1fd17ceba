//! A room's history through the API (the owner's): meetings newest first
//! with who came and went, consent answers, recordings and transcripts;
//! refusals for everyone else and for pages that cannot be. SQLite and
//! PostgreSQL.

use app::server::store::testing::every_backend;
use app::server::store::{AnnouncedRecording, SessionEvent};
use app::types::{Failover, NewMeeting, NewRoom, Platform};
use axum::http::StatusCode;
use chrono::{Duration, Utc};

use crate::support::{state_for, TestApi};

#[tokio::test]
async fn the_owner_reads_what_happened_in_each_meeting() {
    for store in every_backend().await {
        let api = TestApi::new(state_for(store.clone(), &[]));
        let owner = api.user("owner@example.com").await;
        let stranger = api.user("stranger@example.com").await;
        let owner_id = store
            .upsert_user("local:owner@example.com", "owner@example.com", None)
            .await
            .unwrap()
            .id;
        let room = store
            .insert_room(&NewRoom::with_defaults("weekly", &owner_id, Platform::Daily))
            .await
            .unwrap();
        let started = Utc::now() - Duration::hours(3);
        let meeting = |id: &str, start: chrono::DateTime<Utc>, failover: Option<Failover>| NewMeeting {
            id: id.into(),
            room_name: format!("{id}-platform"),
            room_url: "https://fake/r".into(),
            host_room_url: "https://fake/r".into(),
            start_date: start,
            end_date: start + Duration::hours(1),
            platform: if failover.is_some() {
                Platform::Whereby
            } else {
                Platform::Daily
            },
            calendar_event_id: None,
            calendar_metadata: None,
            failover,
        };
        let older = store
            .insert_meeting(&room, &meeting("m-older", started - Duration::days(1), None))
            .await
            .unwrap();
        let last = store
            .insert_meeting(
                &room,
                &meeting(
                    "m-last",
                    started,
                    Some(Failover {
                        from: Platform::Daily,
                        reason: "Daily answered 503".into(),
                    }),
                ),
            )
            .await
            .unwrap();
        for (session, name, joined, left) in [("s-ada", "Ada", 0, Some(40)), ("s-bob", "Bob", 10, Some(55))] {
            store
                .record_session(
                    &last,
                    &SessionEvent {
                        session_id: session,
                        user_id: None,
                        user_name: Some(name),
                        joined_at: started + Duration::minutes(joined),
                        left_at: left.map(|m| started + Duration::minutes(m)),
                    },
                )
                .await
                .unwrap();
        }
        store
            .end_meeting(&last.id, started + Duration::minutes(55))
            .await
            .unwrap();
        store
            .end_meeting(&older.id, started - Duration::days(1))
            .await
            .unwrap();
        store.record_consent(&last.id, None, true).await.unwrap();
        store.record_consent(&last.id, None, false).await.unwrap();
        store
            .upsert_recording(&AnnouncedRecording {
                id: "rec-last",
                meeting_id: Some(&last.id),
                platform: Platform::Whereby,
                bucket_name: "b",
                object_key: "k.mp4",
                recorded_at: started,
                track_keys: None,
            })
            .await
            .unwrap();

        let (status, history) = api
            .call("GET", "/v1/rooms/weekly/history", Some(&owner), None)
            .await;
        assert_eq!(status, StatusCode::OK, "{history}");
        assert_eq!(
            (history["total"].as_i64(), history["pages"].as_i64()),
            (Some(2), Some(1))
        );
        let meetings = history["meetings"].as_array().unwrap();
        assert_eq!(meetings[0]["id"], "m-last", "newest first");
        let last = &meetings[0];
        assert_eq!(last["platform"], "whereby");
        assert_eq!(last["failover_from"], "daily");
        assert_eq!(last["is_live"], false);
        let names: Vec<&str> = last["attendance"]
            .as_array()
            .unwrap()
            .iter()
            .map(|v| v["name"].as_str().unwrap())
            .collect();
        assert_eq!(names, ["Ada", "Bob"]);
        let ended = chrono::DateTime::parse_from_rfc3339(last["ended_at"].as_str().unwrap()).unwrap();
        assert_eq!(
            ended.timestamp(),
            (started + Duration::minutes(55)).timestamp(),
            "when the last one left"
        );
        assert_eq!(
            (
                last["consents_given"].as_i64(),
                last["consents_declined"].as_i64()
            ),
            (Some(1), Some(1))
        );
        assert_eq!(last["recordings"][0]["id"], "rec-last");
        let older = &meetings[1];
        assert_eq!(older["attendance"].as_array().unwrap().len(), 0);
        assert!(older["ended_at"].is_null(), "nobody came: no end to tell");

        let (status, second) = api
            .call(
                "GET",
                "/v1/rooms/weekly/history?size=1&page=2",
                Some(&owner),
                None,
            )
            .await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(second["meetings"][0]["id"], "m-older");
        assert!(second["meetings"][0]["recordings"].as_array().unwrap().is_empty());

        assert_eq!(
            api.call("GET", "/v1/rooms/weekly/history", Some(&stranger), None)
                .await
                .0,
            StatusCode::FORBIDDEN
        );
        assert_eq!(
            api.call("GET", "/v1/rooms/weekly/history", None, None).await.0,
            StatusCode::UNAUTHORIZED
        );
        assert_eq!(
            api.call("GET", "/v1/rooms/nope/history", Some(&owner), None)
                .await
                .0,
            StatusCode::NOT_FOUND
        );
        for query in ["page=0", "size=101", "page=x"] {
            let (status, body) = api
                .call(
                    "GET",
                    &format!("/v1/rooms/weekly/history?{query}"),
                    Some(&owner),
                    None,
                )
                .await;
            assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{query}: {body}");
        }
    }
}
