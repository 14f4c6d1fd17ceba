//! Which events belong to a room: those that name the room's address in
//! their location or description, in any letter case. The address must end
//! there: `…/team` does not match `…/team-b`, a room of its own.

use super::feed::EventInstance;

pub fn names_room(room_url: &str, event: &EventInstance) -> bool {
    [event.location.as_deref(), event.description.as_deref()]
        .into_iter()
        .flatten()
        .any(|text| contains_address(text, room_url))
}

fn contains_address(text: &str, address: &str) -> bool {
    let text = text.to_lowercase();
    let address = address.to_lowercase();
    let mut from = 0;
    while let Some(at) = text[from..].find(&address) {
        let end = from + at + address.len();
        let next = text[end..].chars().next();
        // A room name goes on with letters, digits or dashes.
        if !next.is_some_and(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_') {
            return true;
        }
        from = from + at + 1;
    }
    false
}

#[cfg(test)]
mod tests {
    use super::contains_address;

    #[test]
    fn the_address_must_end_where_the_room_name_does() {
        let room = "https://rooms.example.test/team-sync";
        for naming in [
            "https://rooms.example.test/team-sync",
            "Join at HTTPS://Rooms.Example.Test/Team-Sync please",
            "(https://rooms.example.test/team-sync)",
            "https://rooms.example.test/team-sync/",
            "https://rooms.example.test/team-sync?x=1",
            "see https://rooms.example.test/team-sync-2 or https://rooms.example.test/team-sync.",
        ] {
            assert!(contains_address(naming, room), "{naming}");
        }
        for other in [
            "https://rooms.example.test/team-sync-2",
            "https://rooms.example.test/team-syncing",
            "https://rooms.example.test/team",
            "",
        ] {
            assert!(!contains_address(other, room), "{other}");
        }
    }
}
