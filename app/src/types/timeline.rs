/// Where a visit sits on its meeting's timeline, in percent of the
/// meeting's span: (offset from the left, width), always visible.
pub fn bar_span(start_ms: i64, end_ms: i64, joined_ms: i64, left_ms: i64) -> (f64, f64) {
    let span = (end_ms - start_ms).max(1) as f64;
    let clamp = |ms: i64| ((ms - start_ms) as f64 / span * 100.0).clamp(0.0, 100.0);
    let (from, to) = (clamp(joined_ms), clamp(left_ms.max(joined_ms)));
    // A visit of a few seconds in a long meeting still shows.
    let width = (to - from).max(1.0).min(100.0 - from.min(99.0));
    (from.min(99.0), width)
}

#[cfg(test)]
mod tests {
    use super::bar_span;

    #[test]
    fn visits_sit_where_they_happened() {
        assert_eq!(bar_span(0, 1000, 0, 1000), (0.0, 100.0));
        assert_eq!(bar_span(0, 1000, 250, 500), (25.0, 25.0));
        assert_eq!(
            bar_span(0, 1000, -50, 2000),
            (0.0, 100.0),
            "clamped to the meeting"
        );
        assert_eq!(
            bar_span(0, 100_000, 50_000, 50_001),
            (50.0, 1.0),
            "a blink still shows"
        );
        assert_eq!(bar_span(0, 1000, 1000, 1000), (99.0, 1.0));
        assert_eq!(bar_span(5, 5, 5, 5).1, 1.0, "no division by zero");
    }
}
