//! The room form (add and edit), laid out as Reflector's dialog: General,
//! Calendar and Webhook tabs. The rules for which fields show and which
//! values follow from others live in `types::room_form`. Its code is a WASM
//! chunk of its own, fetched the first time a form opens
//! ([`LazyRoomForm`]): most visits of `/rooms` only read the list.

use leptos::html::{Form, Input};
use leptos::prelude::*;
use leptos::task::spawn_local;

use super::calendar_tab::CalendarTab;
use super::fields::{CheckField, ChoiceField, TextField};
use super::webhook_tab::WebhookTab;
use crate::api::{add_room, edit_room, platform_options};
use crate::browser::focus::{focus_returner, keep_tab_inside};
use crate::components::{lazy_slot, mount_into, toasts, Mounted};
use crate::types::room_form::{save_error_message, RoomDraft};
use crate::types::{Platform, Room};

#[derive(Clone)]
pub enum FormMode {
    Create,
    Edit(Box<Room>),
}

#[derive(Clone, Copy, PartialEq)]
enum Tab {
    General,
    Calendar,
    Webhook,
}

/// A select's change: it offers only valid values, and one that does not
/// parse changes nothing.
fn on_choice<T: std::str::FromStr + 'static>(
    draft: RwSignal<RoomDraft>,
    apply: fn(&mut RoomDraft, T),
) -> Callback<String> {
    Callback::new(move |value: String| {
        if let Ok(chosen) = value.parse() {
            draft.update(|d| apply(d, chosen));
        }
    })
}

fn choices(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
    pairs
        .iter()
        .map(|(value, label)| (value.to_string(), label.to_string()))
        .collect()
}

#[component]
pub fn RoomForm(mode: FormMode, on_close: Callback<bool>) -> impl IntoView {
    let (room_id, title, initial) = match &mode {
        FormMode::Create => (None, "Add room", RoomDraft::new(Platform::Whereby)),
        FormMode::Edit(room) => (Some(room.id.clone()), "Edit room", RoomDraft::from_room(room)),
    };
    let saved_room = match mode {
        FormMode::Create => None,
        FormMode::Edit(room) => Some(*room),
    };
    let saved_webhook_room = saved_room.clone();
    let draft = RwSignal::new(initial);
    let tab = RwSignal::new(Tab::General);
    let saving = RwSignal::new(false);
    let error = RwSignal::new(String::new());
    let unconfigured = LocalResource::new(platform_options);
    let name_input = NodeRef::<Input>::new();
    let dialog = NodeRef::<Form>::new();
    on_cleanup(focus_returner());
    Effect::new(move || {
        if let Some(input) = name_input.get() {
            let _ = input.focus();
        }
    });

    // Reads and writes of the draft, type-erased for the shared field components.
    let text = |read: fn(&RoomDraft) -> String| Signal::derive(move || draft.with(read));
    let flag = |read: fn(&RoomDraft) -> bool| Signal::derive(move || draft.with(read));
    let hide = |shown: fn(&RoomDraft) -> bool| Signal::derive(move || !draft.with(shown));
    let write = |apply: fn(&mut RoomDraft, String)| {
        Callback::new(move |value: String| draft.update(|d| apply(d, value)))
    };
    let toggle =
        |apply: fn(&mut RoomDraft, bool)| Callback::new(move |on: bool| draft.update(|d| apply(d, on)));

    let submit = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        let current = draft.get_untracked();
        if let Some(problem) = current.problem() {
            tab.set(Tab::General);
            error.set(problem);
            return;
        }
        saving.set(true);
        error.set(String::new());
        let room_id = room_id.clone();
        spawn_local(async move {
            let done = if room_id.is_some() { "saved" } else { "added" };
            let saved = match room_id {
                None => add_room(current.to_create()).await,
                Some(id) => edit_room(id, current.to_update()).await,
            };
            saving.set(false);
            match saved {
                Ok(room) => {
                    toasts::say(&format!("Room '{}' {done}", room.name));
                    on_close.run(true);
                }
                // The form keeps everything typed; only the message changes.
                Err(failure) => error.set(save_error_message(&failure)),
            }
        });
    };
    let platform_hint = Signal::derive(move || {
        let chosen = draft.with(|d| d.platform);
        match unconfigured.get() {
            Some(Ok(options)) if options.iter().any(|o| o.platform == chosen && !o.configured) => {
                format!(
                    "{} is not configured on this server yet: meetings cannot start.",
                    chosen.label()
                )
            }
            _ => String::new(),
        }
    });
    let tab_button = move |which: Tab, label: &'static str| {
        view! {
            <button
                type="button"
                role="tab"
                class="tab"
                aria-selected=move || (tab.get() == which).to_string()
                on:click=move |_| tab.set(which)
            >
                {label}
            </button>
        }
    };
    let real_platforms = || {
        Platform::ALL
            .iter()
            .filter(|platform| **platform != Platform::Mock)
    };
    let platforms: Vec<(String, String)> = real_platforms()
        .map(|platform| (platform.as_str().to_owned(), platform.label().to_owned()))
        .collect();
    let fallback_choices: Vec<(String, String)> =
        std::iter::once((String::new(), "Use the server's fallback, if any".to_owned()))
            .chain(
                real_platforms()
                    .map(|platform| (platform.as_str().to_owned(), format!("Use {}", platform.label()))),
            )
            .collect();
    view! {
        <div class="dialog-backdrop">
            <form
                class="dialog card form"
                role="dialog"
                aria-modal="true"
                aria-labelledby="room-form-title"
                tabindex="-1"
                node_ref=dialog
                on:submit=submit
                on:keydown=move |event| {
                    if event.key() == "Escape" {
                        on_close.run(false);
                    } else if let Some(dialog) = dialog.get() {
                        keep_tab_inside(&event, &dialog);
                    }
                }
            >
                <h2 id="room-form-title">{title}</h2>
                <div class="tabs" role="tablist">
                    {tab_button(Tab::General, "General")}
                    {tab_button(Tab::Calendar, "Calendar")}
                    {tab_button(Tab::Webhook, "Webhook")}
                </div>

                <fieldset class="tab-panel" hidden=move || tab.get() != Tab::General>
                    <legend class="visually-hidden">"General"</legend>
                    <TextField
                        label="Room name"
                        name="name"
                        placeholder="room-name"
                        node_ref=name_input
                        value=text(|d| d.name.clone())
                        on_input=write(|d, typed| d.type_name(&typed))
                        hint=Signal::stored("Lower-case letters, digits and dashes: it becomes the room's address.".to_string())
                        problem=text(|d| if d.name.is_empty() { String::new() } else { d.problem().unwrap_or_default() })
                    />
                    <ChoiceField
                        label="Video platform"
                        name="platform"
                        choices=platforms
                        value=text(|d| d.platform.as_str().to_owned())
                        on_change=on_choice(draft, RoomDraft::set_platform)
                        hint=platform_hint
                    />
                    <ChoiceField
                        label="If the platform is down"
                        name="fallback_platform"
                        choices=fallback_choices
                        value=text(RoomDraft::fallback_choice)
                        on_change=Callback::new(move |choice: String| draft.update(|d| d.set_fallback_choice(&choice)))
                        hint=Signal::stored(
                            "Used only while the platform is unreachable, too slow or failing; the meeting then says where it runs."
                                .to_string(),
                        )
                    />
                    <CheckField label="Locked room (people knock to enter)" checked=flag(|d| d.is_locked)
                        on_change=toggle(|d, on| d.is_locked = on) hidden=hide(RoomDraft::shows_locking)/>
                    <ChoiceField
                        label="Room size"
                        name="room_mode"
                        choices=choices(&[("normal", "2–4 people"), ("group", "2–200 people")])
                        value=text(|d| d.room_mode.as_str().to_owned())
                        on_change=on_choice(draft, |d, mode| d.room_mode = mode)
                        hidden=hide(RoomDraft::shows_room_size)
                    />
                    <ChoiceField
                        label="Recording"
                        name="recording_type"
                        choices=choices(&[
                            ("none", "None: nothing is recorded"),
                            ("local", "Local: on each participant's device"),
                            ("cloud", "Cloud: on the platform, then stored here"),
                        ])
                        value=text(|d| d.recording_type.as_str().to_owned())
                        on_change=on_choice(draft, RoomDraft::set_recording_type)
                    />
                    <ChoiceField
                        label="Recording starts"
                        name="recording_trigger"
                        choices=choices(&[
                            ("none", "When a participant starts it"),
                            ("prompt", "Participants are asked when they join"),
                            ("automatic-2nd-participant", "Automatically, when a second person joins"),
                        ])
                        value=text(|d| d.recording_trigger.as_str().to_owned())
                        on_change=on_choice(draft, |d, trigger| d.recording_trigger = trigger)
                        hidden=hide(RoomDraft::shows_trigger)
                    />
                    <CheckField label="Shared room (every signed-in user sees it)" checked=flag(|d| d.is_shared)
                        on_change=toggle(|d, on| d.is_shared = on)/>
                    <CheckField
                        label="Skip the consent question (audio is stored without asking)"
                        checked=flag(|d| d.skip_consent)
                        on_change=toggle(|d, on| d.skip_consent = on)
                        hidden=hide(RoomDraft::shows_skip_consent)
                    />
                    <CheckField
                        label="Also store the composed video (uses much more storage)"
                        checked=flag(|d| d.store_video)
                        on_change=toggle(|d, on| d.store_video = on)
                        hidden=hide(RoomDraft::shows_store_video)
                    />
                </fieldset>

                <fieldset class="tab-panel" hidden=move || tab.get() != Tab::Calendar>
                    <legend class="visually-hidden">"Calendar"</legend>
                    <CalendarTab draft saved=saved_room/>
                </fieldset>

                <fieldset class="tab-panel" hidden=move || tab.get() != Tab::Webhook>
                    <legend class="visually-hidden">"Webhook"</legend>
                    <WebhookTab draft saved=saved_webhook_room shown=Signal::derive(move || tab.get() == Tab::Webhook)/>
                </fieldset>

                <p class="error" role="alert" hidden=move || error.with(String::is_empty)>{error}</p>
                <div class="actions">
                    <button type="button" class="button secondary" on:click=move |_| on_close.run(false)>
                        "Cancel"
                    </button>
                    <button type="submit" class="button" disabled=saving>
                        {move || if saving.get() { "Saving…" } else { "Save" }}
                    </button>
                </div>
            </form>
        </div>
    }
}

#[component]
pub fn LazyRoomForm(mode: FormMode, on_close: Callback<bool>) -> impl IntoView {
    let placeholder = view! {
        <div class="dialog-backdrop">
            <p class="dialog card" role="status">"Opening the form…"</p>
        </div>
    };
    lazy_slot(None, placeholder, move |slot, owner| {
        mount_room_form(slot, owner, mode, on_close)
    })
}

#[leptos::lazy]
fn mount_room_form(
    slot: web_sys::HtmlElement,
    owner: Owner,
    mode: FormMode,
    on_close: Callback<bool>,
) -> Mounted {
    mount_into(slot, owner, move || view! { <RoomForm mode on_close/> })
}
