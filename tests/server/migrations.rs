//! Upgrading a database that has data: the migration adding LiveKit and
//! Jitsi rebuilds SQLite's tables (it cannot alter a CHECK), which must
//! keep every row and every reference — a plain DROP would cascade-delete
//! sessions, consents and recordings. Both databases.

use app::server::store::testing::{execute_raw, fresh_postgres_url};
use app::server::store::{AnnouncedRecording, SessionEvent, Store};
use app::types::{Failover, NewMeeting, NewRoom, Platform};
use chrono::{Duration, Utc};

/// The migration that adds the platforms.
const PLATFORMS_MIGRATION: &str = "20261206000012";

/// The database at `url` migrated to just before the platform rebuild.
async fn migrated_up_to_failover(url: &str, folder: &str) {
    let source = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("migrations")
        .join(folder);
    let earlier = tempfile::tempdir().unwrap();
    for entry in std::fs::read_dir(&source).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap().to_str().unwrap().to_owned();
        if name.as_str() < PLATFORMS_MIGRATION {
            std::fs::copy(&path, earlier.path().join(&name)).unwrap();
        }
    }
    let migrator = sqlx::migrate::Migrator::new(earlier.path()).await.unwrap();
    assert_eq!(migrator.iter().count(), 11);
    if folder == "sqlite" {
        let pool = sqlx::SqlitePool::connect(&format!("{url}?mode=rwc"))
            .await
            .unwrap();
        migrator.run(&pool).await.unwrap();
        pool.close().await;
    } else {
        let pool = sqlx::PgPool::connect(url).await.unwrap();
        migrator.run(&pool).await.unwrap();
        pool.close().await;
    }
}

async fn databases() -> Vec<(String, &'static str)> {
    let dir = std::env::temp_dir().join(format!("reflector-upgrade-{}", uuid::Uuid::new_v4().simple()));
    std::fs::create_dir_all(&dir).unwrap();
    let mut urls = vec![(format!("sqlite://{}", dir.join("old.db").display()), "sqlite")];
    if let Some(url) = fresh_postgres_url().await {
        urls.push((url, "postgres"));
    }
    urls
}

#[tokio::test]
async fn adding_platforms_keeps_every_row_and_reference() {
    for (url, folder) in databases().await {
        migrated_up_to_failover(&url, folder).await;
        let store = Store::connect(&url).await.unwrap();
        let owner = store
            .upsert_user("local:o@example.com", "o@example.com", None)
            .await
            .unwrap();
        let room = store
            .insert_room(&NewRoom::with_defaults("before", &owner.id, Platform::Daily))
            .await
            .unwrap();
        let start = Utc::now();
        let meeting = store
            .insert_meeting(
                &room,
                &NewMeeting {
                    id: "m-before".into(),
                    room_name: "before-1".into(),
                    room_url: "https://fake/before-1".into(),
                    host_room_url: "https://fake/before-1".into(),
                    start_date: start,
                    end_date: start + Duration::hours(1),
                    platform: Platform::Whereby,
                    calendar_event_id: None,
                    calendar_metadata: None,
                    failover: Some(Failover {
                        from: Platform::Daily,
                        reason: "Daily answered 503".into(),
                    }),
                },
            )
            .await
            .unwrap();
        store
            .record_session(
                &meeting,
                &SessionEvent {
                    session_id: "s-1",
                    user_id: None,
                    user_name: Some("Ada"),
                    joined_at: start,
                    left_at: None,
                },
            )
            .await
            .unwrap();
        store.record_consent(&meeting.id, None, false).await.unwrap();
        store
            .upsert_recording(&AnnouncedRecording {
                id: "rec-before",
                meeting_id: Some(&meeting.id),
                platform: Platform::Whereby,
                bucket_name: "b",
                object_key: "k.mp4",
                recorded_at: start,
                track_keys: None,
            })
            .await
            .unwrap();

        store.migrate().await.expect("the platform migration applies");

        let kept = store
            .meeting_by_id("m-before")
            .await
            .unwrap()
            .expect("the meeting is kept");
        assert_eq!(kept.failover_from, Some(Platform::Daily));
        assert_eq!(kept.num_clients, 1);
        assert_eq!(store.session_counts("m-before").await.unwrap().0, 1, "{folder}");
        assert_eq!(
            store
                .session_names("m-before")
                .await
                .unwrap()
                .get("s-1")
                .map(String::as_str),
            Some("Ada")
        );
        assert!(
            store.meeting_has_consent_denial("m-before").await.unwrap(),
            "{folder}: the consent is kept"
        );
        let recording = store.recording_by_id("rec-before").await.unwrap().unwrap();
        assert_eq!(recording.meeting_id.as_deref(), Some("m-before"));

        // The new platforms are accepted, unknown ones still are not.
        let livekit = store
            .insert_room(&NewRoom::with_defaults(
                "on-livekit",
                &owner.id,
                Platform::LiveKit,
            ))
            .await
            .unwrap();
        assert_eq!(livekit.platform, Platform::LiveKit);
        store
            .insert_room(&NewRoom::with_defaults("on-jitsi", &owner.id, Platform::Jitsi))
            .await
            .unwrap();
        assert!(execute_raw(
            &store,
            &["UPDATE room SET platform = 'zoom' WHERE name = 'on-jitsi'"]
        )
        .await
        .is_err());
        // References still hold and still cascade.
        assert!(
            execute_raw(
                &store,
                &[
                    "INSERT INTO meeting_consent (id, meeting_id, consent_given, consent_timestamp) \
                   VALUES ('c-x', 'no-such-meeting', TRUE, '2026-12-06T00:00:00Z')"
                ]
            )
            .await
            .is_err(),
            "{folder}: foreign keys are enforced after the rebuild"
        );
        let purge = app::server::store::NewJob {
            kind: "purge_deleted_recordings",
            payload: "{}".into(),
            dedupe_key: Some("purge_deleted_recordings".into()),
            max_attempts: 3,
            run_at: 0,
        };
        store.delete_room(&room.id, &purge).await.unwrap();
        assert!(
            store.meeting_by_id("m-before").await.unwrap().is_none(),
            "{folder}"
        );
        assert_eq!(store.session_counts("m-before").await.unwrap().0, 0);
    }
}
