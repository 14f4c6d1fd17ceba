use std::collections::HashMap;

use super::*;

fn settings_from(pairs: &[(&str, &str)]) -> Result<Settings, SettingsError> {
    let dir = std::env::temp_dir().join(format!("reflector-settings-{}", uuid::Uuid::new_v4()));
    let mut vars: HashMap<String, String> = pairs
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
    vars.entry("DATA_DIR".into())
        .or_insert_with(|| dir.display().to_string());
    Settings::from_lookup(&move |name| vars.get(name).cloned())
}

#[test]
fn defaults_need_no_configuration() {
    let settings = settings_from(&[]).expect("defaults are valid");
    assert_eq!(settings.site_addr.to_string(), "127.0.0.1:3000");
    assert_eq!(settings.default_video_platform, Platform::Whereby);
    assert!(settings.database_url.expose().starts_with("sqlite://"));
    assert!(settings.database_url.expose().ends_with("reflector.db"));
    assert_eq!(settings.daily.api_url, DAILY_API_URL);
    assert_eq!(settings.daily.s3_region, "us-west-2");
    assert!(!settings.daily.migration_enabled);
    assert!(settings.daily.migration_room_ids.is_empty());
    assert_eq!(settings.whereby.api_url, WHEREBY_API_URL);
    assert_eq!(settings.base_url, "http://127.0.0.1:3000");
    assert!(settings.secret_key.expose().len() >= 32);
}

#[test]
fn generated_secret_key_is_kept_across_starts() {
    let dir = std::env::temp_dir().join(format!("reflector-settings-{}", uuid::Uuid::new_v4()));
    let dir = dir.display().to_string();
    let first = settings_from(&[("DATA_DIR", &dir)]).unwrap();
    let second = settings_from(&[("DATA_DIR", &dir)]).unwrap();
    assert_eq!(first.secret_key, second.secret_key);
}

#[test]
fn every_bad_variable_is_named() {
    let error = settings_from(&[
        ("DEFAULT_VIDEO_PLATFORM", "zoom"),
        ("DAILY_MIGRATION_ENABLED", "maybe"),
        ("LEPTOS_SITE_ADDR", "nowhere"),
        ("DATABASE_URL", "mysql://u:pw@h/db"),
        ("SECRET_KEY", "short"),
    ])
    .unwrap_err();
    let text = error.to_string();
    for name in [
        "DEFAULT_VIDEO_PLATFORM",
        "DAILY_MIGRATION_ENABLED",
        "LEPTOS_SITE_ADDR",
        "DATABASE_URL",
        "SECRET_KEY",
    ] {
        assert!(text.contains(name), "{name} missing from: {text}");
    }
    assert!(
        text.contains("expected one of whereby, daily, livekit, jitsi, mock"),
        "{text}"
    );
    assert!(!text.contains("pw@"), "password leaked: {text}");
}

#[test]
fn migration_room_ids_accept_json_and_commas() {
    let json = settings_from(&[("DAILY_MIGRATION_ROOM_IDS", r#"["a","b"]"#)]).unwrap();
    assert_eq!(json.daily.migration_room_ids, vec!["a", "b"]);
    let commas = settings_from(&[("DAILY_MIGRATION_ROOM_IDS", "a, b,")]).unwrap();
    assert_eq!(commas.daily.migration_room_ids, vec!["a", "b"]);
    let empty = settings_from(&[("DAILY_MIGRATION_ROOM_IDS", "[]")]).unwrap();
    assert!(empty.daily.migration_room_ids.is_empty());
}

#[test]
fn api_urls_are_overridable_for_fake_servers() {
    let settings = settings_from(&[
        ("DAILY_API_URL", "http://127.0.0.1:9001/v1/"),
        ("WHEREBY_API_URL", "http://127.0.0.1:9002/v1"),
    ])
    .unwrap();
    assert_eq!(settings.daily.api_url, "http://127.0.0.1:9001/v1");
    assert_eq!(settings.whereby.api_url, "http://127.0.0.1:9002/v1");
}

#[test]
fn secrets_do_not_show_in_debug_output() {
    let settings = settings_from(&[
        ("DAILY_API_KEY", "daily-key-123"),
        ("SECRET_KEY", &"k".repeat(40)),
        ("DATABASE_URL", "postgres://app:db-password-9@127.0.0.1/app"),
    ])
    .unwrap();
    let text = format!("{settings:?}");
    assert!(!text.contains("db-password-9"));
    assert!(!text.contains("daily-key-123"));
    assert!(!text.contains(&"k".repeat(40)));
}

#[test]
fn redacts_database_passwords() {
    assert_eq!(
        redact_url_password("postgres://u:pw@h:5432/db"),
        "postgres://u:***@h:5432/db"
    );
    assert_eq!(redact_url_password("sqlite://data/x.db"), "sqlite://data/x.db");
}

#[test]
fn auth_defaults_to_password_accounts() {
    let settings = settings_from(&[]).unwrap();
    assert_eq!(settings.auth.backend, AuthBackend::Password);
    assert_eq!(settings.auth.token_ttl_seconds, 86_400);
    assert!(!settings.public_mode);
}

#[test]
fn jwt_backend_needs_a_public_key_and_admin_needs_both_halves() {
    let text = settings_from(&[("AUTH_BACKEND", "jwt"), ("ADMIN_EMAIL", "boss@example.com")])
        .unwrap_err()
        .to_string();
    assert!(text.contains("AUTH_JWT_PUBLIC_KEY: required"), "{text}");
    assert!(text.contains("ADMIN_PASSWORD: required"), "{text}");
    let text = settings_from(&[("AUTH_JWT_PUBLIC_KEY", "/no/such/key.pem")])
        .unwrap_err()
        .to_string();
    assert!(text.contains("cannot read PEM file"), "{text}");
}

#[test]
fn recordings_are_stored_under_the_data_dir_by_default() {
    let data = std::env::temp_dir().join(format!("reflector-settings-{}", uuid::Uuid::new_v4()));
    let settings = settings_from(&[("DATA_DIR", &data.display().to_string())]).unwrap();
    match &settings.recordings.target {
        StorageTarget::Local(dir) => assert_eq!(dir, &data.join("recordings")),
        other => panic!("expected local storage, got {other:?}"),
    }
    assert_eq!(settings.recordings.max_bytes, 8 << 30);
    assert!(settings.jobs.run_in_server);
    assert_eq!(settings.jobs.max_attempts, 5);
}

#[test]
fn storage_and_job_settings_name_their_mistakes() {
    let error = settings_from(&[
        ("RECORDING_STORAGE", "ftp"),
        ("JOB_MAX_ATTEMPTS", "many"),
        ("RUN_WORKERS", "perhaps"),
    ])
    .unwrap_err();
    let text = error.to_string();
    assert!(
        text.contains("RECORDING_STORAGE: expected local or s3, got 'ftp'"),
        "{text}"
    );
    assert!(text.contains("JOB_MAX_ATTEMPTS"), "{text}");
    assert!(text.contains("RUN_WORKERS"), "{text}");
    let error = settings_from(&[("RECORDING_STORAGE", "s3")]).unwrap_err();
    assert!(error.to_string().contains("RECORDING_STORAGE_S3_BUCKET"));
}

#[test]
fn s3_storage_keeps_its_secret_wrapped() {
    let settings = settings_from(&[
        ("RECORDING_STORAGE", "s3"),
        ("RECORDING_STORAGE_S3_BUCKET", "recordings"),
        ("RECORDING_STORAGE_S3_SECRET_ACCESS_KEY", "very-secret-value"),
    ])
    .unwrap();
    let shown = format!("{:?}", settings.recordings);
    assert!(
        shown.contains("recordings") && !shown.contains("very-secret-value"),
        "{shown}"
    );
}
