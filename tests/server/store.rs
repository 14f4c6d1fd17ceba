//! The store against SQLite and PostgreSQL (run with `--features ssr`;
//! PostgreSQL via TEST_POSTGRES_URL, which scripts/test provides).

use app::server::store::testing::{every_backend, execute_raw};
use app::server::store::{Store, StoreError};
use app::types::{NewMeeting, NewRoom, Platform, RecordingTrigger, RecordingType, Room, RoomMode};
use chrono::{Duration, Utc};

fn purge() -> app::server::store::NewJob<'static> {
    app::server::store::NewJob {
        kind: "purge_deleted_recordings",
        payload: "{}".into(),
        dedupe_key: Some("purge_deleted_recordings".into()),
        max_attempts: 3,
        run_at: 0,
    }
}

async fn owner(store: &Store) -> String {
    store
        .upsert_user("local:owner@example.com", "owner@example.com", None)
        .await
        .unwrap()
        .id
}

async fn room(store: &Store, name: &str) -> Room {
    let user_id = owner(store).await;
    store
        .insert_room(&NewRoom::with_defaults(name, user_id, Platform::Daily))
        .await
        .unwrap()
}

fn new_meeting(id: &str, start: chrono::DateTime<Utc>) -> NewMeeting {
    NewMeeting {
        id: id.to_owned(),
        room_name: format!("{id}-platform"),
        room_url: format!("https://example.daily.co/{id}"),
        host_room_url: format!("https://example.daily.co/{id}"),
        start_date: start,
        end_date: start + Duration::hours(8),
        platform: Platform::Daily,
        calendar_event_id: None,
        calendar_metadata: Some(serde_json::json!({ "title": "Standup" })),
        failover: None,
    }
}

#[tokio::test]
async fn rooms_round_trip_every_field() {
    for store in every_backend().await {
        let user_id = owner(&store).await;
        let mut wanted = NewRoom::with_defaults("team", &user_id, Platform::Whereby);
        wanted.room_mode = RoomMode::Group;
        wanted.recording_type = RecordingType::Local;
        wanted.recording_trigger = RecordingTrigger::Prompt;
        wanted.webhook_url = Some("https://hooks.example/x".into());
        wanted.webhook_secret = Some("s3cret".into());
        wanted.ics_url = Some("https://cal.example/ics".into());
        wanted.is_shared = true;
        let created = store.insert_room(&wanted).await.unwrap();
        assert_eq!(created.name, "team");
        assert_eq!(created.room_mode, RoomMode::Group);
        assert_eq!(created.recording_trigger, RecordingTrigger::Prompt);
        assert_eq!(created.webhook_secret.as_deref(), Some("s3cret"));
        assert_eq!(created.ics_fetch_interval, 300);

        let by_id = store.room_by_id(&created.id).await.unwrap().unwrap();
        let by_name = store.room_by_name("team").await.unwrap().unwrap();
        assert_eq!(by_id, created, "{:?}", store.backend());
        assert_eq!(by_name, created);

        let mut changed = created.clone();
        changed.platform = Platform::Daily;
        changed.is_locked = true;
        let updated = store.update_room(&changed).await.unwrap();
        assert_eq!(updated.platform, Platform::Daily);
        assert!(updated.is_locked);
        assert_eq!(updated.created_at, created.created_at);

        assert_eq!(store.delete_room(&created.id, &purge()).await.unwrap(), Some(0));
        assert_eq!(store.delete_room(&created.id, &purge()).await.unwrap(), None);
        assert_eq!(store.room_by_id(&created.id).await.unwrap(), None);
    }
}

#[tokio::test]
async fn duplicate_room_names_are_refused() {
    for store in every_backend().await {
        let first = room(&store, "dup").await;
        let again = NewRoom::with_defaults("dup", &first.user_id, Platform::Daily);
        let error = store.insert_room(&again).await.unwrap_err();
        assert!(
            matches!(error, StoreError::Duplicate(_)),
            "{:?}: {error:?}",
            store.backend()
        );
    }
}

#[tokio::test]
async fn visibility_lists_own_and_shared_rooms() {
    for store in every_backend().await {
        let alice = store
            .upsert_user("local:alice", "alice@example.com", None)
            .await
            .unwrap();
        let bob = store
            .upsert_user("local:bob", "bob@example.com", None)
            .await
            .unwrap();
        store
            .insert_room(&NewRoom::with_defaults(
                "alice-private",
                &alice.id,
                Platform::Daily,
            ))
            .await
            .unwrap();
        let mut shared = NewRoom::with_defaults("bob-shared", &bob.id, Platform::Daily);
        shared.is_shared = true;
        store.insert_room(&shared).await.unwrap();
        store
            .insert_room(&NewRoom::with_defaults("bob-private", &bob.id, Platform::Daily))
            .await
            .unwrap();

        let (rooms, total) = store.rooms_visible_to(Some(&alice.id), 50, 0).await.unwrap();
        let mut names: Vec<_> = rooms.iter().map(|r| r.name.as_str()).collect();
        names.sort();
        assert_eq!(names, ["alice-private", "bob-shared"]);
        assert_eq!(total, 2);

        let (anonymous, total) = store.rooms_visible_to(None, 50, 0).await.unwrap();
        assert_eq!(
            anonymous.iter().map(|r| r.name.as_str()).collect::<Vec<_>>(),
            ["bob-shared"]
        );
        assert_eq!(total, 1);

        let (page, total) = store.rooms_visible_to(Some(&bob.id), 1, 1).await.unwrap();
        assert_eq!((page.len(), total), (1, 2));
        assert_eq!(store.count_rooms().await.unwrap(), 3);
    }
}

#[tokio::test]
async fn meetings_copy_room_settings_and_track_activity() {
    for store in every_backend().await {
        let room = room(&store, "standup").await;
        let now = Utc::now();
        let meeting = store
            .insert_meeting(&room, &new_meeting("m1", now))
            .await
            .unwrap();
        assert_eq!(meeting.room_id.as_deref(), Some(room.id.as_str()));
        assert_eq!(meeting.recording_trigger, room.recording_trigger);
        assert_eq!(meeting.platform, Platform::Daily);
        assert!(meeting.is_active);
        assert_eq!(meeting.num_clients, 0);
        assert_eq!(
            meeting.calendar_metadata,
            Some(serde_json::json!({ "title": "Standup" }))
        );
        assert_eq!(store.meeting_by_id("m1").await.unwrap(), Some(meeting.clone()));

        store
            .insert_meeting(&room, &new_meeting("m-old", now - Duration::hours(9)))
            .await
            .unwrap();
        let active = store.active_meetings_for_room(&room.id, now).await.unwrap();
        assert_eq!(active.iter().map(|m| m.id.as_str()).collect::<Vec<_>>(), ["m1"]);

        store.end_meeting("m1", now).await.unwrap();
        assert!(store
            .active_meetings_for_room(&room.id, now)
            .await
            .unwrap()
            .is_empty());

        assert_eq!(store.delete_room(&room.id, &purge()).await.unwrap(), Some(0));
        assert_eq!(
            store.meeting_by_id("m1").await.unwrap(),
            None,
            "meetings go with their room"
        );
    }
}

#[tokio::test]
async fn users_upsert_by_subject() {
    for store in every_backend().await {
        let first = store
            .upsert_user("idp:42", "old@example.com", Some("hash-1"))
            .await
            .unwrap();
        let second = store
            .upsert_user("idp:42", "new@example.com", None)
            .await
            .unwrap();
        assert_eq!(first.id, second.id);
        assert_eq!(second.email, "new@example.com");
        assert_eq!(
            second.password_hash.as_deref(),
            Some("hash-1"),
            "a missing hash keeps the old one"
        );
        assert_eq!(store.user_by_id(&first.id).await.unwrap(), Some(second));
    }
}

#[tokio::test]
async fn invalid_enum_values_cannot_be_written() {
    for store in every_backend().await {
        let room = room(&store, "guarded").await;
        let _ = room;
        for statement in [
            "UPDATE room SET platform = 'zoom' WHERE name = 'guarded'",
            "UPDATE room SET room_mode = 'huge' WHERE name = 'guarded'",
            "UPDATE room SET recording_type = 'tape' WHERE name = 'guarded'",
            "UPDATE room SET recording_trigger = 'sometimes' WHERE name = 'guarded'",
        ] {
            let error = execute_raw(&store, &[statement]).await.unwrap_err();
            assert!(
                matches!(error, StoreError::InvalidValue(_)),
                "{:?} {statement}: {error:?}",
                store.backend()
            );
        }
        let unchanged = store.room_by_name("guarded").await.unwrap().unwrap();
        assert_eq!(unchanged.platform, Platform::Daily);
    }
}

#[tokio::test]
async fn invalid_stored_enum_values_are_not_read_back_as_garbage() {
    for store in every_backend().await {
        room(&store, "legacy").await;
        // Simulate a value written behind the application's back (an older
        // version, a manual edit) by switching the guard off first.
        let bypass: &[&'static str] = match store.backend() {
            app::server::store::Backend::Sqlite => &[
                "PRAGMA ignore_check_constraints = ON",
                "UPDATE room SET platform = 'zoom' WHERE name = 'legacy'",
                "PRAGMA ignore_check_constraints = OFF",
            ],
            app::server::store::Backend::Postgres => &[
                "ALTER TABLE room DROP CONSTRAINT room_platform_check",
                "UPDATE room SET platform = 'zoom' WHERE name = 'legacy'",
            ],
        };
        execute_raw(&store, bypass).await.unwrap();
        let error = store.room_by_name("legacy").await.unwrap_err();
        match error {
            StoreError::InvalidValue(message) => {
                assert!(message.contains("invalid platform 'zoom'"), "{message}")
            }
            other => panic!("{:?}: expected InvalidValue, got {other:?}", store.backend()),
        }
    }
}

#[tokio::test]
async fn migrations_are_idempotent() {
    for store in every_backend().await {
        store.migrate().await.unwrap();
        store.migrate().await.unwrap();
        store.ping().await.unwrap();
    }
}
