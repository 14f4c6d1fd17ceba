//! Who is asked for recording consent, and how a browser remembers the
//! answers (Reflector's `recording_consent_meetings` localStorage entry: a
//! JSON list of `"<meeting id>|T"` / `"<meeting id>|F"`, the last few kept).

use super::CallDetails;

pub const CONSENT_STORAGE_KEY: &str = "recording_consent_meetings";
const REMEMBERED_ANSWERS: usize = 5;

/// The "this meeting is being recorded" control, until this browser
/// answered. Only cloud recordings keep audio on our servers.
pub fn shows_consent_button(call: &CallDetails, answer: Option<bool>) -> bool {
    call.records_to_cloud && !call.skip_consent && answer.is_none()
}

pub fn shows_recording_indicator(call: &CallDetails, answer: Option<bool>) -> bool {
    call.records_to_cloud && (call.skip_consent || answer == Some(true))
}

/// This browser's answer for the meeting, from the stored list. A bare id
/// (Reflector's older format) counts as consent.
pub fn remembered_answer(stored: &[String], meeting_id: &str) -> Option<bool> {
    stored.iter().rev().find_map(|entry| match entry.split_once('|') {
        Some((id, answer)) if id == meeting_id => Some(answer == "T"),
        None if entry == meeting_id => Some(true),
        _ => None,
    })
}

/// The stored list with this answer added (replacing an older one for the
/// same meeting), trimmed to the last few.
pub fn remember_answer(stored: Vec<String>, meeting_id: &str, given: bool) -> Vec<String> {
    let mut list: Vec<String> = stored
        .into_iter()
        .filter(|entry| entry.split('|').next() != Some(meeting_id))
        .collect();
    list.push(format!("{meeting_id}|{}", if given { "T" } else { "F" }));
    let excess = list.len().saturating_sub(REMEMBERED_ANSWERS);
    list.split_off(excess)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn call(records_to_cloud: bool, skip_consent: bool) -> CallDetails {
        CallDetails {
            failover_notice: None,
            room_name: "team".into(),
            meeting_id: "m1".into(),
            platform: crate::types::Platform::Daily,
            join_url: "https://team.daily.co/x".into(),
            records_to_cloud,
            skip_consent,
            store_video: false,
        }
    }

    #[test]
    fn only_cloud_recordings_ask_and_only_until_answered() {
        assert!(shows_consent_button(&call(true, false), None));
        assert!(!shows_consent_button(&call(true, false), Some(false)));
        assert!(
            !shows_consent_button(&call(false, false), None),
            "local/none recordings ask nothing"
        );
        assert!(
            !shows_consent_button(&call(true, true), None),
            "the room skips the question"
        );
        assert!(shows_recording_indicator(&call(true, true), None));
        assert!(shows_recording_indicator(&call(true, false), Some(true)));
        assert!(!shows_recording_indicator(&call(true, false), Some(false)));
        assert!(!shows_recording_indicator(&call(false, true), None));
    }

    #[test]
    fn answers_are_remembered_per_meeting() {
        let stored = remember_answer(Vec::new(), "m1", true);
        let stored = remember_answer(stored, "m2", false);
        assert_eq!(remembered_answer(&stored, "m1"), Some(true));
        assert_eq!(remembered_answer(&stored, "m2"), Some(false));
        assert_eq!(remembered_answer(&stored, "m3"), None);
        let changed = remember_answer(stored, "m1", false);
        assert_eq!(remembered_answer(&changed, "m1"), Some(false));
        assert_eq!(changed, ["m2|F", "m1|F"]);
    }

    #[test]
    fn only_the_last_five_are_kept() {
        let mut stored = Vec::new();
        for n in 0..7 {
            stored = remember_answer(stored, &format!("m{n}"), true);
        }
        assert_eq!(stored.len(), 5);
        assert_eq!(remembered_answer(&stored, "m1"), None);
        assert_eq!(remembered_answer(&stored, "m6"), Some(true));
        assert_eq!(remembered_answer(&["old-id".to_string()], "old-id"), Some(true));
    }
}
