//! Helpers for the platform client tests: settings pointing at a fake server.

use std::collections::HashMap;

use crate::server::settings::Settings;
use crate::types::{NewRoom, Platform, Room};

pub fn settings_for(vars: &[(&str, &str)]) -> Settings {
    let dir = std::env::temp_dir().join(format!(
        "reflector-platform-test-{}",
        uuid::Uuid::new_v4().simple()
    ));
    let mut map: HashMap<String, String> =
        HashMap::from([("DATA_DIR".to_owned(), dir.display().to_string())]);
    map.extend(vars.iter().map(|(k, v)| (k.to_string(), v.to_string())));
    Settings::from_lookup(&move |name| map.get(name).cloned()).expect("test settings")
}

pub fn room(name: &str, platform: Platform) -> Room {
    NewRoom::with_defaults(name, "owner-1", platform)
        .into_room(uuid::Uuid::new_v4().to_string(), chrono::Utc::now())
}

pub async fn request_body(server: &wiremock::MockServer, index: usize) -> serde_json::Value {
    let requests = server.received_requests().await.expect("recording on");
    serde_json::from_slice(&requests[index].body).expect("JSON body")
}
