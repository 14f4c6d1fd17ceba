use leptos::prelude::*;

use crate::browser::local_time::time_of_day;
use crate::types::{MeetingChoice, UpcomingChoice};

/// What the room offers when there is a choice to make: the live meetings,
/// a calendar room's next events, and (when nothing is live) starting a
/// meeting now.
#[component]
pub fn MeetingChooser(
    room_name: String,
    meetings: Vec<MeetingChoice>,
    upcoming: Vec<UpcomingChoice>,
    can_start: bool,
    start_now: Callback<()>,
) -> impl IntoView {
    let now = crate::browser::timer::now_ms() as i64;
    let lead = match (meetings.len(), upcoming.is_empty()) {
        (0, true) => "Nothing is scheduled in this room for the next 24 hours.",
        (0, false) => "No meeting is live in this room yet.",
        (1, _) => "A meeting is live in this room.",
        _ => "Several meetings are live in this room.",
    };
    let live = meetings
        .into_iter()
        .map(|meeting| live_row(&room_name, meeting, now))
        .collect_view();
    let next = upcoming
        .into_iter()
        .map(|event| upcoming_row(&room_name, event, now))
        .collect_view();
    let start = can_start.then(|| {
        view! {
            <p class="actions">
                <button class="button" on:click=move |_| start_now.run(())>"Start a meeting now"</button>
            </p>
        }
    });
    view! {
        <div class="room-notice">
            <h1>{room_name.clone()}</h1>
            <p>{lead}</p>
            <ul class="meeting-choices">{live}{next}</ul>
            {start}
        </div>
    }
}

fn live_row(room_name: &str, meeting: MeetingChoice, now: i64) -> impl IntoView {
    let minutes = (now - meeting.started_at).max(0) / 60_000;
    let started = match minutes {
        0 => "Started just now".to_owned(),
        1 => "Started a minute ago".to_owned(),
        m if m < 120 => format!("Started {m} minutes ago"),
        m => format!("Started {} hours ago", m / 60),
    };
    let people = match meeting.participants {
        1 => "1 participant".to_owned(),
        n => format!("{n} participants"),
    };
    let href = format!("/{room_name}/{}", meeting.meeting_id);
    view! {
        <li class="card meeting-choice">
            <h2>{meeting.title}</h2>
            <p class="hint">{format!("Live · {started} · {people}")}</p>
            <a class="button" href=href>"Join"</a>
        </li>
    }
}

fn upcoming_row(room_name: &str, event: UpcomingChoice, now: i64) -> impl IntoView {
    let minutes = (event.starts_at - now + 59_999).max(0) / 60_000;
    let when = match minutes {
        0 => "Starting now".to_owned(),
        1 => "Starts in a minute".to_owned(),
        m if m < 60 => format!("Starts in {m} minutes"),
        _ => format!("Starts at {}", time_of_day(event.starts_at)),
    };
    let span = format!("{}–{}", time_of_day(event.starts_at), time_of_day(event.ends_at));
    let join = event.meeting_id.map(|meeting_id| {
        let href = format!("/{room_name}/{meeting_id}");
        view! { <a class="button secondary" href=href>"Join early"</a> }
    });
    view! {
        <li class="card meeting-choice upcoming">
            <h2>{event.title}</h2>
            <p class="hint">{format!("{when} · {span}")}</p>
            {join}
        </li>
    }
}
