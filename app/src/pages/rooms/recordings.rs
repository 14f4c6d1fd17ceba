use leptos::prelude::*;

use crate::api::room_recordings;
use crate::types::{RecordingStatus, RecordingView};

/// The recordings of all the room's meetings, with download links once stored.
#[component]
pub fn RoomRecordings(room_id: String) -> impl IntoView {
    let recordings = LocalResource::new(move || room_recordings(room_id.clone()));
    view! {
        <Suspense fallback=|| view! { <p role="status">"Loading recordings…"</p> }>
            {move || Suspend::new(async move {
                match recordings.await {
                    Ok(list) if list.is_empty() => {
                        view! { <p class="hint">"No recordings yet."</p> }.into_any()
                    }
                    Ok(list) => {
                        view! {
                            <table class="recordings-table">
                                <caption>"Recordings"</caption>
                                <thead>
                                    <tr>
                                        <th scope="col">"Recorded"</th>
                                        <th scope="col">"Status"</th>
                                        <th scope="col">"Size"</th>
                                        <th scope="col">"Download"</th>
                                    </tr>
                                </thead>
                                <tbody>{list.into_iter().map(recording_row).collect_view()}</tbody>
                            </table>
                        }
                            .into_any()
                    }
                    Err(error) => view! { <p class="error">{error.detail}</p> }.into_any(),
                }
            })}
        </Suspense>
    }
}

fn recording_row(recording: RecordingView) -> impl IntoView {
    let status = match (&recording.status, &recording.error) {
        (RecordingStatus::Failed, Some(error)) => format!("Failed: {error}"),
        (RecordingStatus::Pending, Some(error)) => format!("Retrying: {error}"),
        (status, _) => status.as_str().to_owned(),
    };
    let recorded = recording.recorded_at.format("%Y-%m-%d %H:%M UTC").to_string();
    let size = recording.size_bytes.map(human_size).unwrap_or_default();
    view! {
        <tr>
            <td>{recorded}</td>
            <td>{status}</td>
            <td>{size}</td>
            <td>
                {recording
                    .download_url
                    .map(|url| view! { <a href=url download="">"Download"</a> })}
            </td>
        </tr>
    }
}

fn human_size(bytes: i64) -> String {
    const UNITS: [&str; 4] = ["B", "KB", "MB", "GB"];
    let mut value = bytes as f64;
    let mut unit = 0;
    while value >= 1024.0 && unit < UNITS.len() - 1 {
        value /= 1024.0;
        unit += 1;
    }
    if unit == 0 {
        format!("{bytes} B")
    } else {
        format!("{value:.1} {}", UNITS[unit])
    }
}
