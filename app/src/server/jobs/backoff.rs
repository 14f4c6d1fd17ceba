const MAX_DELAY_MS: u64 = 60 * 60 * 1000;

/// The wait before the next attempt after `attempts` failed ones: the base,
/// doubled per further failure, capped at an hour.
pub fn retry_delay_ms(base_seconds: u64, attempts: i64) -> u64 {
    let doublings = attempts.saturating_sub(1).clamp(0, 20) as u32;
    (base_seconds * 1000)
        .saturating_mul(1u64 << doublings)
        .min(MAX_DELAY_MS)
}

#[cfg(test)]
mod tests {
    use super::retry_delay_ms;

    #[test]
    fn doubles_from_the_base_and_stops_at_an_hour() {
        assert_eq!(retry_delay_ms(10, 1), 10_000);
        assert_eq!(retry_delay_ms(10, 2), 20_000);
        assert_eq!(retry_delay_ms(10, 4), 80_000);
        assert_eq!(retry_delay_ms(10, 30), 3_600_000);
        assert_eq!(retry_delay_ms(0, 3), 0);
    }
}
