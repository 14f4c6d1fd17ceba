//! Who is asked for recording consent, and how a browser remembers the
//! answers (Reflector's `recording_consent_meetings` localStorage entry: a
//! JSON list of `"<meeting id>|T"` / `"<meeting id>|F"`, the last few kept).

use super::{Meeting, RecordingType, Room};

pub const CONSENT_STORAGE_KEY: &str = "recording_consent_meetings";
const REMEMBERED_ANSWERS: usize = 5;

/// Only cloud recordings keep audio on our servers.
pub fn requires_consent(meeting: &Meeting) -> bool {
    meeting.recording_type == RecordingType::Cloud
}

/// The "this meeting is being recorded" control: until this browser answered.
pub fn shows_consent_button(meeting: &Meeting, room: &Room, answer: Option<bool>) -> bool {
    requires_consent(meeting) && !room.skip_consent && answer.is_none()
}

pub fn shows_recording_indicator(meeting: &Meeting, room: &Room, answer: Option<bool>) -> bool {
    requires_consent(meeting) && (room.skip_consent || answer == Some(true))
}

/// This browser's answer for the meeting, from the stored list. A bare id
/// (Reflector's older format) counts as consent.
pub fn remembered_answer(stored: Option<&str>, meeting_id: &str) -> Option<bool> {
    entries(stored)
        .iter()
        .rev()
        .find_map(|entry| match entry.split_once('|') {
            Some((id, answer)) if id == meeting_id => Some(answer == "T"),
            None if entry == meeting_id => Some(true),
            _ => None,
        })
}

/// The stored list with this answer added (replacing an older one for the
/// same meeting), trimmed to the last few.
pub fn remember_answer(stored: Option<&str>, meeting_id: &str, given: bool) -> String {
    let mut list: Vec<String> = entries(stored)
        .into_iter()
        .filter(|entry| entry.split('|').next() != Some(meeting_id))
        .collect();
    list.push(format!("{meeting_id}|{}", if given { "T" } else { "F" }));
    let excess = list.len().saturating_sub(REMEMBERED_ANSWERS);
    serde_json::to_string(&list[excess..]).unwrap_or_else(|_| "[]".into())
}

fn entries(stored: Option<&str>) -> Vec<String> {
    stored
        .and_then(|text| serde_json::from_str::<Vec<String>>(text).ok())
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn answers_are_remembered_per_meeting() {
        let stored = remember_answer(None, "m1", true);
        let stored = remember_answer(Some(&stored), "m2", false);
        assert_eq!(remembered_answer(Some(&stored), "m1"), Some(true));
        assert_eq!(remembered_answer(Some(&stored), "m2"), Some(false));
        assert_eq!(remembered_answer(Some(&stored), "m3"), None);
        let changed = remember_answer(Some(&stored), "m1", false);
        assert_eq!(remembered_answer(Some(&changed), "m1"), Some(false));
    }

    #[test]
    fn only_the_last_five_are_kept_and_junk_is_ignored() {
        let mut stored = String::from("not json");
        for n in 0..7 {
            stored = remember_answer(Some(&stored), &format!("m{n}"), true);
        }
        assert_eq!(remembered_answer(Some(&stored), "m1"), None);
        assert_eq!(remembered_answer(Some(&stored), "m6"), Some(true));
        assert_eq!(serde_json::from_str::<Vec<String>>(&stored).unwrap().len(), 5);
        assert_eq!(remembered_answer(Some(r#"["old-id"]"#), "old-id"), Some(true));
    }
}
