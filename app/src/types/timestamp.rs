//! RFC 3339 timestamps as the browser reads them. chrono's own parser knows
//! every format it supports (RFC 2822 and strftime patterns too) and is a
//! sizeable part of the WASM bundle; the types sent to the browser only ever
//! carry RFC 3339, written by chrono's serializer, so this reads just that.
//! Writing stays chrono's: the JSON is unchanged.

use std::borrow::Cow;

use chrono::{DateTime, NaiveDate, NaiveDateTime, NaiveTime, TimeDelta, Utc};
use serde::de::Error;
use serde::{Deserialize, Deserializer};

pub fn deserialize<'de, D: Deserializer<'de>>(deserializer: D) -> Result<DateTime<Utc>, D::Error> {
    read(&Cow::<str>::deserialize(deserializer)?)
}

pub fn deserialize_option<'de, D: Deserializer<'de>>(
    deserializer: D,
) -> Result<Option<DateTime<Utc>>, D::Error> {
    Option::<Cow<str>>::deserialize(deserializer)?
        .map(|text| read(&text))
        .transpose()
}

fn read<E: Error>(text: &str) -> Result<DateTime<Utc>, E> {
    parse_rfc3339(text).ok_or_else(|| E::custom(format!("not an RFC 3339 timestamp: {text}")))
}

/// `YYYY-MM-DDTHH:MM:SS[.fraction](Z|±HH:MM)`, `t` or a space also allowed
/// between date and time, as RFC 3339 permits.
pub fn parse_rfc3339(text: &str) -> Option<DateTime<Utc>> {
    let bytes = text.as_bytes();
    let separators_fit = bytes.get(4) == Some(&b'-')
        && bytes.get(7) == Some(&b'-')
        && matches!(bytes.get(10), Some(b'T' | b't' | b' '))
        && bytes.get(13) == Some(&b':')
        && bytes.get(16) == Some(&b':');
    if !separators_fit {
        return None;
    }
    let year = digits(text, 0, 4)?;
    let (month, day) = (digits(text, 5, 7)?, digits(text, 8, 10)?);
    let (hour, minute, mut second) = (
        digits(text, 11, 13)?,
        digits(text, 14, 16)?,
        digits(text, 17, 19)?,
    );

    let mut rest = &text[19..];
    let mut nanos = 0;
    if let Some(fraction) = rest.strip_prefix('.') {
        let length = fraction.bytes().take_while(u8::is_ascii_digit).count();
        if length == 0 {
            return None;
        }
        // Beyond nanoseconds, digits are dropped, as chrono does.
        let kept = &fraction[..length.min(9)];
        nanos = digits(kept, 0, kept.len())? * 10u32.pow(9 - kept.len() as u32);
        rest = &fraction[length..];
    }
    if second == 60 {
        // A leap second: chrono keeps it as :59 plus a second of nanoseconds.
        second = 59;
        nanos += 1_000_000_000;
    }
    let offset_seconds = match rest.as_bytes() {
        [b'Z' | b'z'] => 0,
        [sign @ (b'+' | b'-'), _, _, b':', _, _] => {
            let magnitude = i64::from(digits(rest, 1, 3)? * 3600 + digits(rest, 4, 6)? * 60);
            if *sign == b'-' {
                -magnitude
            } else {
                magnitude
            }
        }
        _ => return None,
    };
    let date = NaiveDate::from_ymd_opt(year as i32, month, day)?;
    let time = NaiveTime::from_hms_nano_opt(hour, minute, second, nanos)?;
    let local = NaiveDateTime::new(date, time);
    let utc = local.checked_sub_signed(TimeDelta::try_seconds(offset_seconds)?)?;
    Some(utc.and_utc())
}

/// The number written in `text[start..end]`, all ASCII digits.
fn digits(text: &str, start: usize, end: usize) -> Option<u32> {
    let part = text.get(start..end)?;
    if part.is_empty() || !part.bytes().all(|byte| byte.is_ascii_digit()) {
        return None;
    }
    part.parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn chrono_reads(text: &str) -> Option<DateTime<Utc>> {
        DateTime::parse_from_rfc3339(text)
            .ok()
            .map(|at| at.with_timezone(&Utc))
    }

    #[test]
    fn reads_what_chrono_writes() {
        let moments = [
            Utc.with_ymd_and_hms(2026, 11, 24, 7, 5, 9).unwrap(),
            Utc.with_ymd_and_hms(1999, 12, 31, 23, 59, 59).unwrap() + TimeDelta::milliseconds(120),
            Utc.with_ymd_and_hms(2024, 2, 29, 0, 0, 0).unwrap() + TimeDelta::microseconds(7),
            Utc.with_ymd_and_hms(2030, 1, 1, 12, 0, 0).unwrap() + TimeDelta::nanoseconds(123_456_789),
        ];
        for moment in moments {
            let json = serde_json::to_string(&moment).unwrap();
            let text: String = serde_json::from_str(&json).unwrap();
            assert_eq!(parse_rfc3339(&text), Some(moment), "{text}");
        }
    }

    #[test]
    fn agrees_with_chrono_on_offsets_fractions_and_leap_seconds() {
        for text in [
            "2026-03-07T09:05:59+02:00",
            "2026-03-07T09:05:59-05:30",
            "2026-03-07t09:05:59z",
            "2026-03-07 09:05:59Z",
            "2026-03-07T09:05:59.5Z",
            "2026-03-07T09:05:59.1234567891Z",
            "2016-12-31T23:59:60Z",
            "2026-01-01T00:30:00+01:00",
        ] {
            assert_eq!(parse_rfc3339(text), chrono_reads(text), "{text}");
            assert!(parse_rfc3339(text).is_some(), "{text}");
        }
    }

    #[test]
    fn refuses_what_is_not_rfc_3339() {
        for text in [
            "",
            "2026-03-07",
            "2026-03-07T09:05:59",
            "2026-03-07T09:05:59.Z",
            "2026-13-07T09:05:59Z",
            "2026-02-30T09:05:59Z",
            "2026-03-07T24:05:59Z",
            "+026-03-07T09:05:59Z",
            "2026-03-07T09:05:59+2:00",
            "2026-03-07T09:05:59+02:00 ",
            "Sat, 07 Mar 2026 09:05:59 +0000",
        ] {
            assert_eq!(parse_rfc3339(text), None, "{text}");
        }
    }

    #[test]
    fn json_fields_use_it() {
        #[derive(Deserialize)]
        struct Stamped {
            #[serde(deserialize_with = "deserialize")]
            at: DateTime<Utc>,
            #[serde(default, deserialize_with = "deserialize_option")]
            maybe: Option<DateTime<Utc>>,
        }
        let read: Stamped = serde_json::from_str(r#"{"at":"2026-03-07T09:05:59Z","maybe":null}"#).unwrap();
        assert_eq!(read.at, Utc.with_ymd_and_hms(2026, 3, 7, 9, 5, 59).unwrap());
        assert_eq!(read.maybe, None);
        let error = serde_json::from_str::<Stamped>(r#"{"at":"yesterday"}"#)
            .err()
            .unwrap();
        assert!(error.to_string().contains("not an RFC 3339 timestamp: yesterday"));
    }
}
