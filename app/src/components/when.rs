//! An instant as people say it ("12 min ago", "in 20 min"), the exact
//! local time on hover, and in `datetime` for machines and readers.

use leptos::prelude::*;

use crate::browser::local_time::{day_and_time, iso};
use crate::browser::timer::now_ms;
use crate::types::relative_time;

#[component]
pub fn When(unix_ms: i64) -> impl IntoView {
    view! {
        <time datetime=iso(unix_ms) title=day_and_time(unix_ms)>
            {relative_time(unix_ms, now_ms() as i64)}
        </time>
    }
}
