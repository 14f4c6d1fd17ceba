use crate::server::settings::Settings;
use crate::types::{Platform, Room};

/// The platform a room's new meetings use.
///
/// 1. `DAILY_MIGRATION_ENABLED=true` and the room's id is in
///    `DAILY_MIGRATION_ROOM_IDS` → Daily, whatever the room has stored.
/// 2. Otherwise the room's own platform (rooms created without one were given
///    `DEFAULT_VIDEO_PLATFORM` when they were created).
pub fn platform_for_room(settings: &Settings, room: &Room) -> Platform {
    let daily = &settings.daily;
    if daily.migration_enabled && daily.migration_room_ids.iter().any(|id| id == &room.id) {
        return Platform::Daily;
    }
    room.platform
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::types::NewRoom;

    fn settings(enabled: bool, ids: &str) -> Settings {
        let dir = std::env::temp_dir().join(format!("reflector-selection-{}", uuid::Uuid::new_v4()));
        let vars = [
            ("DATA_DIR", dir.display().to_string()),
            ("DAILY_MIGRATION_ENABLED", enabled.to_string()),
            ("DAILY_MIGRATION_ROOM_IDS", ids.to_owned()),
        ];
        Settings::from_lookup(&move |name| vars.iter().find(|(k, _)| *k == name).map(|(_, v)| v.clone()))
            .unwrap()
    }

    fn room(id: &str, platform: Platform) -> Room {
        NewRoom::with_defaults("r", "u", platform).into_room(id, chrono::Utc::now())
    }

    #[test]
    fn precedence_table() {
        // (migration enabled, listed ids, room id, stored platform) → platform
        let cases = [
            (false, "[]", "a", Platform::Whereby, Platform::Whereby),
            (false, "[]", "a", Platform::Daily, Platform::Daily),
            (false, r#"["a"]"#, "a", Platform::Whereby, Platform::Whereby),
            (true, r#"["a"]"#, "a", Platform::Whereby, Platform::Daily),
            (true, "a,b", "b", Platform::Mock, Platform::Daily),
            (true, r#"["a"]"#, "c", Platform::Whereby, Platform::Whereby),
            (true, "[]", "a", Platform::Whereby, Platform::Whereby),
        ];
        for (enabled, ids, room_id, stored, expected) in cases {
            let got = platform_for_room(&settings(enabled, ids), &room(room_id, stored));
            assert_eq!(
                got, expected,
                "enabled={enabled} ids={ids} room={room_id} stored={stored}"
            );
        }
    }
}
