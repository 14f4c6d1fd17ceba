use leptos::prelude::*;

use crate::browser::local_time::day_and_time;
use crate::browser::timer::now_ms;
use crate::types::{room_now, RoomOverview};

/// What a room is doing now ("Live · 3 people · started 12 min ago",
/// "Next: Standup in 20 min"), the exact time on hover.
#[component]
pub fn RoomStatus(entry: RoomOverview) -> impl IntoView {
    let now = room_now(&entry, now_ms() as i64);
    view! {
        <span class="room-now" class:live=now.live title=now.at.map(day_and_time)>
            {now.words}
        </span>
        {entry.failover_notice.map(|notice| view! { <span class="failover-note">{notice}</span> })}
    }
}
