//! The room form (add and edit), laid out as Reflector's dialog: General,
//! Calendar and Webhook tabs. The rules for which fields show live in
//! `types::room_form`.

use leptos::html::Input;
use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::api::{add_room, edit_room, platform_options};
use crate::types::room_form::{save_error_message, RoomDraft, ICS_INTERVALS};
use crate::types::{Platform, RecordingTrigger, RecordingType, Room, RoomMode};

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

#[component]
pub fn RoomForm(mode: FormMode, on_close: Callback<bool>) -> impl IntoView {
    let (room_id, title, initial) = match &mode {
        FormMode::Create => (None, "Add room", RoomDraft::new(Platform::Whereby)),
        FormMode::Edit(room) => (Some(room.id.clone()), "Edit room", RoomDraft::from_room(room)),
    };
    let has_secret = !initial.webhook_secret.is_empty();
    let draft = RwSignal::new(initial);
    let tab = RwSignal::new(Tab::General);
    let saving = RwSignal::new(false);
    let error = RwSignal::new(None::<String>);
    let reveal_secret = RwSignal::new(false);
    let options = LocalResource::new(platform_options);
    let name_input = NodeRef::<Input>::new();
    Effect::new(move || {
        if let Some(input) = name_input.get() {
            let _ = input.focus();
        }
    });

    let submit = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        let current = draft.get_untracked();
        if let Some(problem) = current.problem() {
            tab.set(Tab::General);
            error.set(Some(problem));
            return;
        }
        saving.set(true);
        error.set(None);
        let room_id = room_id.clone();
        spawn_local(async move {
            let saved = match room_id {
                None => add_room(current.to_create()).await,
                Some(id) => edit_room(id, current.to_update()).await,
            };
            saving.set(false);
            match saved {
                Ok(_) => on_close.run(true),
                // The form keeps everything typed; only the message changes.
                Err(failure) => error.set(Some(save_error_message(&failure))),
            }
        });
    };
    let field = move |read: fn(&RoomDraft) -> bool| move || draft.with(read);
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
    let room_link = move || {
        let origin = web_sys::window()
            .and_then(|window| window.location().origin().ok())
            .unwrap_or_default();
        format!("{origin}/{}", draft.with(|d| d.name.clone()))
    };

    view! {
        <div class="dialog-backdrop">
            <form
                class="dialog card form"
                role="dialog"
                aria-modal="true"
                aria-labelledby="room-form-title"
                on:submit=submit
                on:keydown=move |event| {
                    if event.key() == "Escape" {
                        on_close.run(false);
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
                    <label class="field">
                        <span>"Room name"</span>
                        <input
                            type="text"
                            name="name"
                            node_ref=name_input
                            placeholder="room-name"
                            autocomplete="off"
                            prop:value=move || draft.with(|d| d.name.clone())
                            on:input=move |event| draft.update(|d| d.type_name(&event_target_value(&event)))
                        />
                        <small class="hint">"Lower-case letters, digits and dashes: it becomes the room's address."</small>
                        {move || {
                            draft
                                .with(|d| (!d.name.is_empty()).then(|| d.problem()).flatten())
                                .map(|problem| view! { <small class="error">{problem}</small> })
                        }}
                    </label>
                    <label class="field">
                        <span>"Video platform"</span>
                        <select
                            name="platform"
                            on:change=move |event| {
                                if let Ok(platform) = event_target_value(&event).parse::<Platform>() {
                                    draft.update(|d| d.set_platform(platform));
                                }
                            }
                        >
                            <Suspense fallback=|| ()>
                                {move || Suspend::new(async move {
                                    options
                                        .await
                                        .unwrap_or_default()
                                        .into_iter()
                                        .map(|option| {
                                            let value = option.platform;
                                            let label = if option.configured {
                                                option.label
                                            } else {
                                                format!("{} (not configured on this server)", option.label)
                                            };
                                            view! {
                                                <option
                                                    value=value.as_str()
                                                    selected=move || draft.with(|d| d.platform == value)
                                                >
                                                    {label}
                                                </option>
                                            }
                                        })
                                        .collect_view()
                                })}
                            </Suspense>
                        </select>
                    </label>
                    <Checkbox label="Locked room (people knock to enter)" checked=field(|d| d.is_locked)
                        set=move |on| draft.update(|d| d.is_locked = on)/>
                    <Show when=field(RoomDraft::shows_room_size)>
                        <label class="field">
                            <span>"Room size"</span>
                            <select
                                name="room_mode"
                                on:change=move |event| {
                                    if let Ok(mode) = event_target_value(&event).parse::<RoomMode>() {
                                        draft.update(|d| d.room_mode = mode);
                                    }
                                }
                            >
                                <option value="normal" selected=move || draft.with(|d| d.room_mode == RoomMode::Normal)>
                                    "2–4 people"
                                </option>
                                <option value="group" selected=move || draft.with(|d| d.room_mode == RoomMode::Group)>
                                    "2–200 people"
                                </option>
                            </select>
                        </label>
                    </Show>
                    <label class="field">
                        <span>"Recording"</span>
                        <select
                            name="recording_type"
                            on:change=move |event| {
                                if let Ok(kind) = event_target_value(&event).parse::<RecordingType>() {
                                    draft.update(|d| d.set_recording_type(kind));
                                }
                            }
                        >
                            <option value="none" selected=move || draft.with(|d| d.recording_type == RecordingType::None)>
                                "None: nothing is recorded"
                            </option>
                            <option value="local" selected=move || draft.with(|d| d.recording_type == RecordingType::Local)>
                                "Local: on each participant's device"
                            </option>
                            <option value="cloud" selected=move || draft.with(|d| d.recording_type == RecordingType::Cloud)>
                                "Cloud: on the platform, then stored here"
                            </option>
                        </select>
                    </label>
                    <Show when=field(RoomDraft::shows_trigger)>
                        <label class="field">
                            <span>"Recording starts"</span>
                            <select
                                name="recording_trigger"
                                on:change=move |event| {
                                    if let Ok(trigger) = event_target_value(&event).parse::<RecordingTrigger>() {
                                        draft.update(|d| d.recording_trigger = trigger);
                                    }
                                }
                            >
                                <option value="none" selected=move || draft.with(|d| d.recording_trigger == RecordingTrigger::None)>
                                    "When a participant starts it"
                                </option>
                                <option value="prompt" selected=move || draft.with(|d| d.recording_trigger == RecordingTrigger::Prompt)>
                                    "Participants are asked when they join"
                                </option>
                                <option
                                    value="automatic-2nd-participant"
                                    selected=move || draft.with(|d| d.recording_trigger == RecordingTrigger::AutomaticSecondParticipant)
                                >
                                    "Automatically, when a second person joins"
                                </option>
                            </select>
                        </label>
                    </Show>
                    <Checkbox label="Shared room (every signed-in user sees it)" checked=field(|d| d.is_shared)
                        set=move |on| draft.update(|d| d.is_shared = on)/>
                    <Show when=field(RoomDraft::shows_skip_consent)>
                        <Checkbox
                            label="Skip the consent question (audio is stored without asking)"
                            checked=field(|d| d.skip_consent)
                            set=move |on| draft.update(|d| d.skip_consent = on)
                        />
                    </Show>
                    <Show when=field(RoomDraft::shows_store_video)>
                        <Checkbox
                            label="Also store the composed video (uses much more storage)"
                            checked=field(|d| d.store_video)
                            set=move |on| draft.update(|d| d.store_video = on)
                        />
                    </Show>
                </fieldset>

                <fieldset class="tab-panel" hidden=move || tab.get() != Tab::Calendar>
                    <legend class="visually-hidden">"Calendar"</legend>
                    <Checkbox label="Create meetings from an ICS calendar" checked=field(|d| d.ics_enabled)
                        set=move |on| draft.update(|d| d.ics_enabled = on)/>
                    <Show when=field(|d| d.ics_enabled)>
                        <label class="field">
                            <span>"Room address (put it in your events' location)"</span>
                            <input type="text" readonly prop:value=room_link/>
                        </label>
                        <label class="field">
                            <span>"ICS calendar URL"</span>
                            <input
                                type="url"
                                name="ics_url"
                                placeholder="https://calendar.google.com/calendar/ical/…"
                                prop:value=move || draft.with(|d| d.ics_url.clone())
                                on:input=move |event| draft.update(|d| d.ics_url = event_target_value(&event))
                            />
                        </label>
                        <label class="field">
                            <span>"Check the calendar"</span>
                            <select
                                name="ics_fetch_interval"
                                on:change=move |event| {
                                    if let Ok(seconds) = event_target_value(&event).parse::<i64>() {
                                        draft.update(|d| d.ics_fetch_interval = seconds);
                                    }
                                }
                            >
                                {ICS_INTERVALS
                                    .iter()
                                    .map(|&(seconds, label)| {
                                        view! {
                                            <option
                                                value=seconds.to_string()
                                                selected=move || draft.with(|d| d.ics_fetch_interval == seconds)
                                            >
                                                {label}
                                            </option>
                                        }
                                    })
                                    .collect_view()}
                            </select>
                        </label>
                    </Show>
                </fieldset>

                <fieldset class="tab-panel" hidden=move || tab.get() != Tab::Webhook>
                    <legend class="visually-hidden">"Webhook"</legend>
                    <label class="field">
                        <span>"Webhook URL"</span>
                        <input
                            type="url"
                            name="webhook_url"
                            placeholder="https://example.com/webhook"
                            prop:value=move || draft.with(|d| d.webhook_url.clone())
                            on:input=move |event| draft.update(|d| d.webhook_url = event_target_value(&event))
                        />
                        <small class="hint">"Receives a signed notice when a meeting's transcript is ready."</small>
                    </label>
                    <Show when=field(|d| !d.webhook_url.trim().is_empty())>
                        <label class="field">
                            <span>"Webhook secret"</span>
                            <span class="secret-field">
                                <input
                                    type=move || if reveal_secret.get() { "text" } else { "password" }
                                    name="webhook_secret"
                                    autocomplete="off"
                                    placeholder=if has_secret { "••••••••" } else { "Leave empty to generate one" }
                                    prop:value=move || draft.with(|d| d.webhook_secret.clone())
                                    on:input=move |event| draft.update(|d| d.webhook_secret = event_target_value(&event))
                                />
                                <button
                                    type="button"
                                    class="button secondary"
                                    aria-pressed=move || reveal_secret.get().to_string()
                                    on:click=move |_| reveal_secret.update(|shown| *shown = !*shown)
                                >
                                    {move || if reveal_secret.get() { "Hide" } else { "Show" }}
                                </button>
                            </span>
                            <small class="hint">"Signs each notice (HMAC-SHA256). Only you, the owner, see it."</small>
                        </label>
                    </Show>
                </fieldset>

                {move || error.get().map(|message| view! { <p class="error" role="alert">{message}</p> })}
                <div class="actions">
                    <button type="button" class="button secondary" on:click=move |_| on_close.run(false)>
                        "Cancel"
                    </button>
                    <button type="submit" class="button" disabled=move || saving.get()>
                        {move || if saving.get() { "Saving…" } else { "Save" }}
                    </button>
                </div>
            </form>
        </div>
    }
}

#[component]
fn Checkbox(
    label: &'static str,
    checked: impl Fn() -> bool + Send + Sync + 'static,
    set: impl Fn(bool) + 'static,
) -> impl IntoView {
    view! {
        <label class="check">
            <input type="checkbox" prop:checked=checked on:change=move |event| set(event_target_checked(&event))/>
            <span>{label}</span>
        </label>
    }
}
