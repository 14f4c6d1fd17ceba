//! Room names are the path of a room's page (`/<name>`), so they are plain:
//! lowercase letters, digits and dashes, and never a path the app uses.

pub const MAX_ROOM_NAME_LEN: usize = 64;

/// First path segments the app itself routes; a room cannot take them.
pub const RESERVED_ROOM_NAMES: &[&str] = &[
    "about",
    "account",
    "admin",
    "api",
    "assets",
    "browse",
    "health",
    "login",
    "logout",
    "meetings",
    "mock-call",
    "new",
    "pkg",
    "privacy",
    "public",
    "recordings",
    "rooms",
    "settings",
    "signup",
    "static",
    "transcripts",
    "user",
    "users",
    "v1",
    "webhooks",
];

/// Why `name` cannot be a room name, as a sentence for the person typing it.
pub fn room_name_problem(name: &str) -> Option<String> {
    if name.is_empty() {
        return Some("A room needs a name".into());
    }
    if name.chars().count() > MAX_ROOM_NAME_LEN {
        return Some(format!("A room name has at most {MAX_ROOM_NAME_LEN} characters"));
    }
    if !name
        .chars()
        .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
    {
        return Some("A room name may only contain lowercase letters, digits and dashes".into());
    }
    if RESERVED_ROOM_NAMES.contains(&name) {
        return Some(format!("'{name}' is reserved by the app; choose another name"));
    }
    None
}

/// What the name field turns typing into: lowercase, spaces and other
/// separators become dashes, anything else outside the alphabet is dropped.
pub fn normalize_room_name_input(text: &str) -> String {
    let mut name = String::with_capacity(text.len());
    for c in text.chars().flat_map(char::to_lowercase) {
        match c {
            'a'..='z' | '0'..='9' | '-' => name.push(c),
            ' ' | '_' | '.' | '/' => name.push('-'),
            _ => {}
        }
    }
    name.chars().take(MAX_ROOM_NAME_LEN).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_follow_the_rules() {
        assert_eq!(room_name_problem("team-standup-2"), None);
        assert!(room_name_problem("").is_some());
        assert!(room_name_problem("Team").is_some());
        assert!(room_name_problem("a_b").is_some());
        assert!(room_name_problem(&"a".repeat(65)).is_some());
        assert_eq!(room_name_problem(&"a".repeat(64)), None);
        assert!(room_name_problem("login").unwrap().contains("reserved"));
    }

    #[test]
    fn typing_is_normalized() {
        assert_eq!(normalize_room_name_input("Team Standup_2!"), "team-standup-2");
        assert_eq!(normalize_room_name_input("ÄBC"), "bc");
    }
}
