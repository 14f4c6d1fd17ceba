//! Routers over fresh databases for the HTTP tests.

use std::collections::HashMap;

use app::server::settings::Settings;
use app::server::store::testing::sqlite_store;
use app::server::AppState;
use axum::Router;
use leptos::prelude::LeptosOptions;

use crate::router::build_router;

pub fn test_settings(overrides: &[(&str, &str)]) -> Settings {
    let dir = std::env::temp_dir().join(format!("reflector-http-test-{}", uuid::Uuid::new_v4().simple()));
    let mut vars: HashMap<String, String> = HashMap::from([
        ("DATA_DIR".to_owned(), dir.display().to_string()),
        (
            "SECRET_KEY".to_owned(),
            "test-secret-key-that-is-long-enough-000".to_owned(),
        ),
    ]);
    vars.extend(overrides.iter().map(|(k, v)| (k.to_string(), v.to_string())));
    Settings::from_lookup(&move |name| vars.get(name).cloned()).expect("test settings")
}

pub async fn test_router() -> Router {
    let state = AppState::new(sqlite_store().await, test_settings(&[]));
    let options = LeptosOptions::builder()
        .output_name("reflector")
        .site_root("target/site")
        .build();
    build_router(state, options)
}
