use leptos::prelude::*;
use leptos::task::spawn_local;

use super::form::FormMode;
use super::recordings::LazyRoomRecordings;
use crate::api::remove_room;
use crate::browser::clipboard::copy_text;
use crate::components::{toasts, RoomStatus};
use crate::types::{RecordingTrigger, RecordingType, Room, RoomOverview};

#[component]
pub fn RoomRow(
    entry: RoomOverview,
    form: RwSignal<Option<FormMode>>,
    refresh: Callback<()>,
) -> impl IntoView {
    let status = view! { <RoomStatus entry=entry.clone()/> };
    let RoomOverview {
        room,
        is_owner,
        recordings,
        ..
    } = entry;
    let confirming = RwSignal::new(false);
    let delete_error = RwSignal::new(None::<String>);
    let show_recordings = RwSignal::new(false);
    let path = format!("/{}", room.name);
    let recording = recording_summary(&room);
    let platform = room.platform.label();
    let room = StoredValue::new(room);

    let copy_link = move |_| {
        let path = format!("/{}", room.with_value(|room| room.name.clone()));
        spawn_local(async move {
            let link = format!("{}{path}", crate::browser::page::origin());
            match copy_text(&link).await {
                Ok(()) => toasts::say(&format!("Link copied: {link}")),
                Err(()) => toasts::warn(&format!(
                    "This browser did not let us copy. The room's link: {link}"
                )),
            }
        });
    };
    let delete = move |_| {
        let (id, name) = room.with_value(|room| (room.id.clone(), room.name.clone()));
        spawn_local(async move {
            match remove_room(id).await {
                Ok(deleted) => {
                    toasts::say(&deleted_words(&name, deleted.recordings_deleted));
                    refresh.run(());
                }
                Err(error) => delete_error.set(Some(format!("Not deleted: {error}"))),
            }
        });
    };
    let name = room.with_value(|room| room.name.clone());

    view! {
        <tr>
            <th scope="row"><a href=path>{name.clone()}</a></th>
            <td>{platform}</td>
            <td>{status}</td>
            <td>{recording}</td>
            <td class="row-actions">
                <button type="button" class="link-button" on:click=copy_link>"Copy link"</button>
                {is_owner.then(|| owner_actions(room, form, show_recordings, confirming))}
            </td>
        </tr>
        {move || confirming.get().then(|| {
            let name = name.clone();
            view! {
                <tr class="confirm-row">
                    <td colspan="5" role="alert">
                        {deletion_question(&name, recordings)}
                        " "
                        <button type="button" class="button danger" on:click=delete>"Delete room"</button>
                        " "
                        <button type="button" class="button secondary" on:click=move |_| confirming.set(false)>
                            "Cancel"
                        </button>
                        {move || delete_error.get().map(|error| view! { <p class="error">{error}</p> })}
                    </td>
                </tr>
            }
        })}
        {move || show_recordings.get().then(|| view! {
            <tr class="recordings-row">
                <td colspan="5">
                    <LazyRoomRecordings room_id=room.with_value(|room| room.id.clone())/>
                </td>
            </tr>
        })}
    }
}

fn deleted_words(name: &str, recordings: i64) -> String {
    match recordings {
        0 => format!("Room '{name}' deleted"),
        1 => format!("Room '{name}' and its recording deleted"),
        count => format!("Room '{name}' and its {count} recordings deleted"),
    }
}

fn deletion_question(name: &str, recordings: i64) -> String {
    let recordings = match recordings {
        0 => String::new(),
        1 => " and its recording is deleted from storage".into(),
        count => format!(" and its {count} recordings are deleted from storage"),
    };
    format!("Delete the room '{name}'? Its address stops working{recordings}. This cannot be undone.")
}

fn owner_actions(
    room: StoredValue<Room>,
    form: RwSignal<Option<FormMode>>,
    show_recordings: RwSignal<bool>,
    confirming: RwSignal<bool>,
) -> impl IntoView {
    view! {
        <button
            type="button"
            class="link-button"
            on:click=move |_| form.set(Some(FormMode::Edit(Box::new(room.get_value()))))
        >
            "Edit"
        </button>
        <a class="link-button" href=move || format!("/rooms/{}/history", room.with_value(|room| room.name.clone()))>
            "History"
        </a>
        <button
            type="button"
            class="link-button"
            aria-expanded=move || show_recordings.get().to_string()
            on:click=move |_| show_recordings.update(|open| *open = !*open)
        >
            "Recordings"
        </button>
        <button type="button" class="link-button danger" on:click=move |_| confirming.set(true)>
            "Delete"
        </button>
    }
}

fn recording_summary(room: &Room) -> String {
    match room.recording_type {
        RecordingType::None => "None".into(),
        RecordingType::Local => "Local".into(),
        RecordingType::Cloud => match room.recording_trigger {
            RecordingTrigger::None => "Cloud (manual)".into(),
            RecordingTrigger::Prompt => "Cloud (prompt)".into(),
            _ => "Cloud (automatic)".into(),
        },
    }
}
