//! One meeting of a room's history: when, how long, where it ran, a
//! timeline of who was there, the consent answers, its recordings.

use leptos::either::Either;
use leptos::prelude::*;

use crate::browser::local_time::{day_and_time, time_of_day};
use crate::browser::timer::now_ms;
use crate::components::When;
use crate::types::{
    bar_span, failover_notice, Attendance, PastMeeting, RecordingStatus, RecordingView, TranscriptStatus,
};

#[component]
pub fn MeetingCard(meeting: PastMeeting) -> impl IntoView {
    let start = meeting.start_date.timestamp_millis();
    let end = meeting
        .ended_at
        .map(|at| at.timestamp_millis())
        .unwrap_or_else(|| now_ms() as i64);
    let when = match (meeting.is_live, meeting.ended_at) {
        (true, _) => format!("{} – now (live)", day_and_time(start)),
        (false, Some(_)) => format!(
            "{} – {} · {}",
            day_and_time(start),
            time_of_day(end),
            duration(end - start)
        ),
        (false, None) => format!("{} · nobody came", day_and_time(start)),
    };
    let platform = match meeting.failover_from {
        Some(from) => failover_notice(from, meeting.platform),
        None => format!("On {}.", meeting.platform.label()),
    };
    let consents = match (meeting.consents_given, meeting.consents_declined) {
        (0, 0) => None,
        (given, declined) => Some(format!(
            "Consent to keep the recording: {given} yes, {declined} no{}",
            if declined > 0 {
                " (the audio is deleted after transcription)"
            } else {
                ""
            }
        )),
    };
    let people = meeting.attendance.len();
    let timeline = if meeting.attendance.is_empty() {
        Either::Left(view! { <p class="hint">"Nobody joined."</p> })
    } else {
        Either::Right(view! {
            <ul class="timeline" aria-label=format!("Who was there ({people})")>
                {meeting.attendance.into_iter().map(|visit| visit_row(visit, start, end)).collect_view()}
            </ul>
        })
    };
    view! {
        <article class="card meeting-history" class:is-live=meeting.is_live>
            <h2>{when}</h2>
            <p class="hint">"Started "<When unix_ms=start/>". "{platform}</p>
            {timeline}
            {consents.map(|text| view! { <p>{text}</p> })}
            {(!meeting.recordings.is_empty()).then(|| view! {
                <ul class="plain-list">{meeting.recordings.into_iter().map(recording_row).collect_view()}</ul>
            })}
        </article>
    }
}

fn visit_row(visit: Attendance, start: i64, end: i64) -> impl IntoView {
    let joined = visit.joined_at.timestamp_millis();
    let left = visit.left_at.map(|at| at.timestamp_millis());
    let (offset, width) = bar_span(start, end, joined, left.unwrap_or(end));
    let times = match left {
        Some(left) => format!("{}–{}", time_of_day(joined), time_of_day(left)),
        None => format!("{}–still there", time_of_day(joined)),
    };
    view! {
        <li>
            <span class="who">{visit.name}</span>
            <span class="track" aria-hidden="true">
                <span class="bar" style=format!("left: {offset:.1}%; width: {width:.1}%")></span>
            </span>
            <span class="times">{times}</span>
        </li>
    }
}

fn recording_row(recording: RecordingView) -> impl IntoView {
    let status = match recording.status {
        RecordingStatus::Completed => "Recording stored",
        RecordingStatus::Failed => "Recording failed",
        _ => "Recording on its way",
    };
    view! {
        <li>
            <span>{status}</span>
            {recording.download_url.map(|url| view! { <a href=url>"Download"</a> })}
            {recording.transcript_id.map(|id| {
                let label = match recording.transcript_status {
                    Some(TranscriptStatus::Completed) => "Transcript",
                    Some(TranscriptStatus::Failed) => "Transcript (failed)",
                    _ => "Transcript (in progress)",
                };
                view! { <a href=format!("/transcripts/{id}")>{label}</a> }
            })}
        </li>
    }
}

/// "47 min", "1 h 05 min".
fn duration(ms: i64) -> String {
    let minutes = (ms.max(0) + 30_000) / 60_000;
    if minutes < 60 {
        format!("{minutes} min")
    } else {
        format!("{} h {:02} min", minutes / 60, minutes % 60)
    }
}
