//! The room form's Calendar tab: the address events must name, the feed and
//! how often it is read, and (for a saved room) how the last sync went, with
//! "Sync now".

use leptos::prelude::*;
use leptos::task::spawn_local;

use super::fields::{CheckField, ChoiceField, TextField};
use crate::api::{room_calendar, sync_calendar_now};
use crate::browser::clipboard::copy_text;
use crate::browser::local_time::day_and_time;
use crate::types::room_form::{RoomDraft, ICS_INTERVALS};
use crate::types::{CalendarSummary, Room};

#[component]
pub fn CalendarTab(draft: RwSignal<RoomDraft>, saved: Option<Room>) -> impl IntoView {
    let typed_link = Signal::derive(move || {
        format!(
            "{}/{}",
            crate::browser::page::origin(),
            draft.with(|d| d.name.clone())
        )
    });
    let summary = RwSignal::new(None::<CalendarSummary>);
    // The server's own address for the room (what matching uses) once known.
    let room_link = Signal::derive(move || {
        summary
            .with(|known| known.as_ref().map(|s| s.room_url.clone()))
            .unwrap_or_else(|| typed_link.get())
    });
    let copied = RwSignal::new(String::new());
    let copy = move |_| {
        let link = room_link.get_untracked();
        spawn_local(async move {
            copied.set(match copy_text(&link).await {
                Ok(()) => "Copied!".into(),
                Err(()) => "Select the address and copy it.".into(),
            });
        });
    };
    let intervals = ICS_INTERVALS
        .iter()
        .map(|(seconds, label)| (seconds.to_string(), label.to_string()))
        .collect::<Vec<_>>();
    let status = saved.map(|room| view! { <SyncStatus room summary draft/> });

    view! {
        <CheckField
            label="Create meetings from an ICS calendar"
            checked=Signal::derive(move || draft.with(|d| d.ics_enabled))
            on_change=Callback::new(move |on| draft.update(|d| d.ics_enabled = on))
        />
        <div class="tab-panel" hidden=move || !draft.with(|d| d.ics_enabled)>
            <p class="hint">
                "Events belong to this room when their location or description names its address: "
                <code>{room_link}</code>
                " "
                <button type="button" class="link-button" on:click=copy>"Copy"</button>
                <span class="note" role="status">{copied}</span>
            </p>
            <TextField
                label="ICS calendar URL"
                name="ics_url"
                placeholder="https://calendar.google.com/calendar/ical/…"
                value=Signal::derive(move || draft.with(|d| d.ics_url.clone()))
                on_input=Callback::new(move |url| draft.update(|d| d.ics_url = url))
                hint=Signal::stored("The calendar's secret address in iCal format (Google, Outlook, iCloud…).".to_string())
            />
            <ChoiceField
                label="Check the calendar"
                name="ics_fetch_interval"
                choices=intervals
                value=Signal::derive(move || draft.with(|d| d.ics_fetch_interval.to_string()))
                on_change=Callback::new(move |value: String| {
                    if let Ok(seconds) = value.parse() {
                        draft.update(|d| d.ics_fetch_interval = seconds);
                    }
                })
            />
            {status}
        </div>
    }
}

/// A saved room's last sync, and syncing now with its saved settings.
#[component]
fn SyncStatus(
    room: Room,
    summary: RwSignal<Option<CalendarSummary>>,
    draft: RwSignal<RoomDraft>,
) -> impl IntoView {
    let name = StoredValue::new(room.name.clone());
    let syncing = RwSignal::new(false);
    let failure = RwSignal::new(String::new());
    spawn_local(async move {
        match room_calendar(name.get_value()).await {
            Ok(known) => summary.set(Some(known)),
            Err(error) => failure.set(error.detail),
        }
    });
    let sync_now = move |_| {
        syncing.set(true);
        failure.set(String::new());
        spawn_local(async move {
            match sync_calendar_now(name.get_value()).await {
                Ok(known) => summary.set(Some(known)),
                Err(error) => failure.set(error.detail),
            }
            syncing.set(false);
        });
    };
    let saved_url = room.ics_url.clone().unwrap_or_default();
    let saved_enabled = room.ics_enabled;
    let unsaved = Signal::derive(move || {
        draft.with(|d| d.ics_url.trim() != saved_url.trim() || d.ics_enabled != saved_enabled)
    });
    let can_sync = Signal::derive(move || summary.with(|s| s.as_ref().is_some_and(|s| s.enabled)));

    view! {
        <section class="sync-status" aria-label="Calendar sync">
            <p hidden=move || !unsaved.get() class="hint">
                "Save to use the new calendar settings; syncing now reads the saved ones."
            </p>
            {move || summary.get().map(describe)}
            <p class="error" role="alert" hidden=move || failure.with(String::is_empty)>{failure}</p>
            <button
                type="button"
                class="button secondary"
                disabled=move || syncing.get() || !can_sync.get()
                on:click=sync_now
            >
                {move || if syncing.get() { "Syncing…" } else { "Sync now" }}
            </button>
        </section>
    }
}

fn describe(summary: CalendarSummary) -> impl IntoView {
    let checked = match summary.last_sync {
        None => "Not checked yet.".to_owned(),
        Some(at) => format!("Last checked at {}.", day_and_time(at)),
    };
    let next = summary
        .next_sync
        .map(|at| format!(" Next check at {}.", day_and_time(at)))
        .unwrap_or_default();
    let events = match summary.events_count {
        0 => "No upcoming events for this room.".to_owned(),
        1 => "1 event for this room.".to_owned(),
        n => format!("{n} events for this room."),
    };
    let class = if summary.last_failed { "error" } else { "hint" };
    view! {
        <p class="hint">{format!("{checked}{next} {events}")}</p>
        <p class=class role="status">{summary.last_result}</p>
    }
}
