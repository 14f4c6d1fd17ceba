use leptos::either::{Either, EitherOf4};
use leptos::prelude::*;

use crate::api::room_recordings;
use crate::components::{lazy_slot, mount_into, Mounted, When};
use crate::types::{RecordingStatus, RecordingView, TranscriptStatus};

/// The recordings of all the room's meetings, with download links once
/// stored. A WASM chunk of its own, fetched when first shown.
#[component]
pub fn LazyRoomRecordings(room_id: String) -> impl IntoView {
    let placeholder = view! { <p role="status">"Loading recordings…"</p> };
    lazy_slot(None, placeholder, move |slot, owner| {
        mount_room_recordings(slot, owner, room_id)
    })
}

#[leptos::lazy]
fn mount_room_recordings(slot: web_sys::HtmlElement, owner: Owner, room_id: String) -> Mounted {
    mount_into(slot, owner, move || room_recordings_table(room_id))
}

fn room_recordings_table(room_id: String) -> impl IntoView {
    let recordings = LocalResource::new(move || room_recordings(room_id.clone()));
    move || match recordings.get() {
        None => EitherOf4::A(view! { <p role="status">"Loading recordings…"</p> }),
        Some(Ok(list)) if list.is_empty() => EitherOf4::B(
            view! { <p class="hint">"No recordings yet. A recorded meeting appears here once the platform hands its recording over."</p> },
        ),
        Some(Ok(list)) => EitherOf4::C(view! {
            <table class="recordings-table">
                <caption>"Recordings"</caption>
                <thead>
                    <tr>
                        <th scope="col">"Recorded"</th>
                        <th scope="col">"Status"</th>
                        <th scope="col">"Size"</th>
                        <th scope="col">"Download"</th>
                        <th scope="col">"Transcript"</th>
                    </tr>
                </thead>
                <tbody>{list.into_iter().map(recording_row).collect_view()}</tbody>
            </table>
        }),
        Some(Err(error)) => EitherOf4::D(view! { <p class="error">{error.detail}</p> }),
    }
}

fn recording_row(recording: RecordingView) -> impl IntoView {
    let status = match (&recording.status, &recording.error) {
        (RecordingStatus::Failed, Some(error)) => format!("Failed: {error}"),
        (RecordingStatus::Pending, Some(error)) => format!("Retrying: {error}"),
        (status, _) => status.as_str().to_owned(),
    };
    let recorded = recording.recorded_at.timestamp_millis();
    let size = recording.size_bytes.map(human_size).unwrap_or_default();
    view! {
        <tr>
            <td><When unix_ms=recorded/></td>
            <td>{status}</td>
            <td>{size}</td>
            <td>
                {recording
                    .download_url
                    .map(|url| view! { <a href=url download="">"Download"</a> })}
            </td>
            <td>{transcript_cell(recording.transcript_id, recording.transcript_status)}</td>
        </tr>
    }
}

/// The transcript's state, a link to it once there is something to read.
fn transcript_cell(id: Option<String>, status: Option<TranscriptStatus>) -> impl IntoView {
    match (id, status) {
        (Some(id), Some(status)) => {
            let label = match status {
                TranscriptStatus::Completed => "Read",
                TranscriptStatus::Failed => "Failed",
                TranscriptStatus::Transcribing => "Transcribing…",
                TranscriptStatus::Queued => "Queued",
            };
            Either::Left(view! { <a href=format!("/transcripts/{id}")>{label}</a> })
        }
        _ => Either::Right(view! { <span class="hint">"—"</span> }),
    }
}

/// "512 B", "1.5 KB", "3.2 MB": one decimal, in integers (formatting an
/// `f64` would bring the float printer into the WASM).
fn human_size(bytes: i64) -> String {
    const UNITS: [&str; 4] = ["B", "KB", "MB", "GB"];
    let mut unit = 0;
    let mut scale = 1i64;
    while bytes >= scale * 1024 && unit < UNITS.len() - 1 {
        scale *= 1024;
        unit += 1;
    }
    if unit == 0 {
        return format!("{bytes} B");
    }
    let tenths = (bytes * 10 + scale / 2) / scale;
    format!("{}.{} {}", tenths / 10, tenths % 10, UNITS[unit])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_read_like_people_write_them() {
        assert_eq!(human_size(0), "0 B");
        assert_eq!(human_size(1023), "1023 B");
        assert_eq!(human_size(1024), "1.0 KB");
        assert_eq!(human_size(1536), "1.5 KB");
        assert_eq!(human_size(10 * 1024 * 1024 - 1), "10.0 MB");
        assert_eq!(human_size(3 * 1024 * 1024 * 1024 + 300 * 1024 * 1024), "3.3 GB");
    }
}
