use leptos::prelude::*;

use crate::types::MeetingChoice;

/// Several meetings are live in the room: pick one.
#[component]
pub fn MeetingChooser(room_name: String, meetings: Vec<MeetingChoice>) -> impl IntoView {
    let now = crate::browser::timer::now_ms() as i64;
    let rows = meetings
        .into_iter()
        .map(|meeting| {
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
                    <p class="hint">{format!("{started} · {people}")}</p>
                    <a class="button" href=href>"Join"</a>
                </li>
            }
        })
        .collect_view();
    view! {
        <div class="room-notice">
            <h1>{format!("{room_name} — choose a meeting")}</h1>
            <p>"Several meetings are live in this room."</p>
            <ul class="meeting-choices">{rows}</ul>
        </div>
    }
}
