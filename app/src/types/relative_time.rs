/// How long ago (or from now) `then` is, as people say it: "just now",
/// "12 min ago", "in 3 h", "yesterday", "5 days ago". Both in Unix ms.
pub fn relative_time(then_ms: i64, now_ms: i64) -> String {
    let seconds = (then_ms - now_ms) / 1000;
    let (future, seconds) = (seconds > 0, seconds.unsigned_abs());
    let phrase = |amount: String| {
        if future {
            format!("in {amount}")
        } else {
            format!("{amount} ago")
        }
    };
    match seconds {
        1..=44 if future => "in a moment".to_owned(),
        0..=44 => "just now".to_owned(),
        45..=3_569 => phrase(format!("{} min", (seconds + 30) / 60)),
        3_570..=86_399 => phrase(format!("{} h", (seconds + 1_800) / 3_600)),
        86_400..=172_799 => (if future { "tomorrow" } else { "yesterday" }).to_owned(),
        _ => phrase(format!("{} days", seconds / 86_400)),
    }
}

#[cfg(test)]
mod tests {
    use super::relative_time;

    #[test]
    fn times_read_as_people_say_them() {
        let now = 1_800_000_000_000;
        let ago = |seconds: i64| relative_time(now - seconds * 1000, now);
        assert_eq!(ago(10), "just now");
        assert_eq!(ago(60), "1 min ago");
        assert_eq!(ago(12 * 60), "12 min ago");
        assert_eq!(ago(59 * 60), "59 min ago");
        assert_eq!(ago(60 * 60), "1 h ago");
        assert_eq!(ago(5 * 3_600 + 100), "5 h ago");
        assert_eq!(ago(30 * 3_600), "yesterday");
        assert_eq!(ago(5 * 86_400), "5 days ago");
        assert_eq!(relative_time(now + 20 * 60_000, now), "in 20 min");
        assert_eq!(relative_time(now + 30_000, now), "in a moment");
        assert_eq!(relative_time(now + 400, now), "just now");
        assert_eq!(relative_time(now + 26 * 3_600_000, now), "tomorrow");
    }
}
