//! What a `Range` request header asks of a file of known size (RFC 9110 §14):
//! parsing is the `http-range-header` crate's; this module decides what a
//! server does with each outcome.

use std::ops::RangeInclusive;

use http_range_header::{parse_range_header, RangeUnsatisfiableError, StartPosition};

#[derive(Debug, PartialEq, Eq)]
pub enum Asked {
    /// No range, a unit other than bytes, or a header we cannot read: the
    /// whole file with 200, as the RFC tells servers to ignore such headers.
    Whole,
    /// One range within the file (of several, the first: players ask for one).
    Part(RangeInclusive<u64>),
    /// Nothing of the file matches: 416.
    Unsatisfiable,
}

pub fn asked(header: Option<&str>, size: u64) -> Asked {
    let Some(header) = header.map(str::trim) else {
        return Asked::Whole;
    };
    let Some(specs) = header
        .get(..6)
        .filter(|unit| unit.eq_ignore_ascii_case("bytes="))
        .map(|_| &header[6..])
    else {
        return Asked::Whole;
    };
    let mut parsed = match parse_range_header(&format!("bytes={specs}")) {
        Ok(parsed) => parsed,
        Err(RangeUnsatisfiableError::ZeroSuffix) => return Asked::Unsatisfiable,
        Err(_) => return Asked::Whole,
    };
    if size == 0 {
        return Asked::Unsatisfiable;
    }
    // A suffix longer than the file means the whole file (RFC 9110 §14.1.2).
    for range in &mut parsed.ranges {
        if let StartPosition::FromLast(length) = range.start {
            range.start = StartPosition::FromLast(length.min(size));
        }
    }
    match parsed.validate(size) {
        Ok(ranges) => ranges
            .into_iter()
            .next()
            .map_or(Asked::Unsatisfiable, Asked::Part),
        Err(_) => Asked::Unsatisfiable,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_kind_of_range_header_gets_its_answer() {
        assert_eq!(asked(None, 100), Asked::Whole);
        assert_eq!(asked(Some("pages=1"), 100), Asked::Whole);
        assert_eq!(asked(Some("bytes=abc"), 100), Asked::Whole);
        assert_eq!(asked(Some("bytes=10-19"), 100), Asked::Part(10..=19));
        assert_eq!(asked(Some("Bytes=10-"), 100), Asked::Part(10..=99));
        assert_eq!(asked(Some("bytes=90-500"), 100), Asked::Part(90..=99));
        assert_eq!(asked(Some("bytes=-10"), 100), Asked::Part(90..=99));
        assert_eq!(asked(Some("bytes=-500"), 100), Asked::Part(0..=99));
        assert_eq!(asked(Some("bytes=0-9, 20-29"), 100), Asked::Part(0..=9));
        assert_eq!(asked(Some("bytes=100-"), 100), Asked::Unsatisfiable);
        assert_eq!(asked(Some("bytes=-0"), 100), Asked::Unsatisfiable);
        assert_eq!(asked(Some("bytes=0-"), 0), Asked::Unsatisfiable);
        assert_eq!(asked(Some("bytes=-5"), 0), Asked::Unsatisfiable);
        assert_eq!(asked(None, 0), Asked::Whole);
    }
}
