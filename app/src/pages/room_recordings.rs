use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

use crate::api::room_recordings;
use crate::types::{RecordingStatus, RecordingView};

/// `/rooms/{name}/recordings`: the room owner's view of every recording of
/// the room's meetings, with downloads once stored.
#[component]
pub fn RoomRecordingsPage() -> impl IntoView {
    let params = use_params_map();
    let room_name = move || params.read().get("name").unwrap_or_default();
    let recordings = Resource::new(room_name, room_recordings);

    view! {
        <Title text=move || format!("Recordings of {}", room_name())/>
        <main class="page">
            <h1>"Recordings of " {room_name}</h1>
            <Suspense fallback=|| view! { <p class="hint">"Loading recordings…"</p> }>
                {move || {
                    recordings
                        .get()
                        .map(|loaded| match loaded {
                            Err(error) => view! { <p class="error" role="alert">{error.detail}</p> }.into_any(),
                            Ok(list) if list.is_empty() => {
                                view! { <p class="hint">"No recordings yet."</p> }.into_any()
                            }
                            Ok(list) => view! { <RecordingTable recordings=list/> }.into_any(),
                        })
                }}
            </Suspense>
        </main>
    }
}

#[component]
fn RecordingTable(recordings: Vec<RecordingView>) -> impl IntoView {
    view! {
        <table class="table">
            <thead>
                <tr>
                    <th scope="col">"Recorded"</th>
                    <th scope="col">"Status"</th>
                    <th scope="col">"Size"</th>
                    <th scope="col">"Download"</th>
                </tr>
            </thead>
            <tbody>
                {recordings.into_iter().map(|recording| view! { <RecordingRow recording/> }).collect_view()}
            </tbody>
        </table>
    }
}

#[component]
fn RecordingRow(recording: RecordingView) -> impl IntoView {
    let status = match recording.status {
        RecordingStatus::Pending => "waiting",
        RecordingStatus::Processing => "copying",
        RecordingStatus::Completed => "stored",
        RecordingStatus::Failed => "failed",
    };
    let size = recording.size_bytes.map(human_size).unwrap_or_default();
    view! {
        <tr data-recording=recording.id.clone()>
            <td>{recording.recorded_at.to_string()}</td>
            <td>
                {status}
                {recording.error.map(|error| view! { <span class="error">" — " {error}</span> })}
            </td>
            <td>{size}</td>
            <td>
                {recording.download_url.map(|url| view! { <a href=url download>"Download"</a> })}
            </td>
        </tr>
    }
}

fn human_size(bytes: i64) -> String {
    const MIB: f64 = 1024.0 * 1024.0;
    if bytes as f64 >= MIB {
        format!("{:.1} MB", bytes as f64 / MIB)
    } else {
        format!("{} KB", (bytes + 1023) / 1024)
    }
}
