//! Instants (Unix milliseconds from the server) as the visitor's own clock
//! shows them: the browser knows the visitor's time zone, the server not.

use wasm_bindgen::JsValue;

fn date(unix_ms: i64) -> js_sys::Date {
    js_sys::Date::new(&JsValue::from_f64(unix_ms as f64))
}

/// "14:05".
pub fn time_of_day(unix_ms: i64) -> String {
    let date = date(unix_ms);
    format!("{:02}:{:02}", date.get_hours(), date.get_minutes())
}

/// The time of day, with the date unless it is today.
pub fn day_and_time(unix_ms: i64) -> String {
    let (then, today) = (date(unix_ms), js_sys::Date::new_0());
    let same_day = then.get_full_year() == today.get_full_year()
        && then.get_month() == today.get_month()
        && then.get_date() == today.get_date();
    if same_day {
        time_of_day(unix_ms)
    } else {
        format!(
            "{}-{:02}-{:02} {}",
            then.get_full_year(),
            then.get_month() + 1,
            then.get_date(),
            time_of_day(unix_ms)
        )
    }
}

/// "2026-03-07T09:05:00.000Z", for `<time datetime>`.
pub fn iso(unix_ms: i64) -> String {
    date(unix_ms).to_iso_string().into()
}
