use leptos::prelude::*;

use crate::types::{Meeting, Room};

/// Several meetings are live in the room: pick one.
#[component]
pub fn MeetingChooser(room: Room, meetings: Vec<Meeting>) -> impl IntoView {
    let now = crate::browser::timer::now_ms() as i64;
    let rows = meetings
        .into_iter()
        .map(|meeting| {
            let title = meeting
                .calendar_metadata
                .as_ref()
                .and_then(|metadata| metadata.get("title"))
                .and_then(|title| title.as_str())
                .unwrap_or("Live meeting")
                .to_owned();
            let minutes = (now - meeting.start_date.timestamp_millis()).max(0) / 60_000;
            let started = match minutes {
                0 => "Started just now".to_owned(),
                1 => "Started a minute ago".to_owned(),
                m if m < 120 => format!("Started {m} minutes ago"),
                m => format!("Started {} hours ago", m / 60),
            };
            let people = match meeting.num_clients {
                1 => "1 participant".to_owned(),
                n => format!("{n} participants"),
            };
            let href = format!("/{}/{}", room.name, meeting.id);
            view! {
                <li class="card meeting-choice">
                    <h2>{title}</h2>
                    <p class="hint">{started}" · "{people}</p>
                    <a class="button" href=href>"Join"</a>
                </li>
            }
        })
        .collect_view();
    view! {
        <div class="room-notice">
            <h1>{format!("{} — choose a meeting", room.name)}</h1>
            <p>"Several meetings are live in this room."</p>
            <ul class="meeting-choices">{rows}</ul>
        </div>
    }
}
