//! The room form's Webhook tab: the receiver's URL and secret, the events
//! the room sends, and for a saved room its delivery log (`webhook_log`,
//! a chunk of its own fetched when the tab is shown).

use leptos::prelude::*;

use super::fields::{CheckField, TextField};
use super::webhook_log::LazyDeliveryLog;
use crate::types::room_form::RoomDraft;
use crate::types::{Room, RoomEventKind, WebhookEvents};

#[component]
pub fn WebhookTab(
    draft: RwSignal<RoomDraft>,
    saved: Option<Room>,
    #[prop(into)] shown: Signal<bool>,
) -> impl IntoView {
    let has_secret = saved.as_ref().is_some_and(|room| {
        room.webhook_secret
            .as_deref()
            .is_some_and(|secret| !secret.is_empty())
    });
    let reveal_secret = RwSignal::new(false);
    let no_url = Signal::derive(move || draft.with(|d| d.webhook_url.trim().is_empty()));
    let event_choices = RoomEventKind::choosable()
        .map(|kind| {
            view! {
                <CheckField
                    label=kind.label()
                    checked=Signal::derive(move || draft.with(|d| d.webhook_events.sends(kind)))
                    on_change=Callback::new(move |on: bool| draft.update(|d| choose(&mut d.webhook_events, kind, on)))
                />
            }
        })
        .collect_view();
    let log = saved.map(|room| {
        let room = StoredValue::new(room);
        move || {
            shown
                .get()
                .then(|| view! { <LazyDeliveryLog room=room.get_value() draft/> })
        }
    });

    view! {
        <TextField
            label="Webhook URL"
            name="webhook_url"
            placeholder="https://example.com/webhook"
            value=Signal::derive(move || draft.with(|d| d.webhook_url.clone()))
            on_input=Callback::new(move |url| draft.update(|d| d.webhook_url = url))
            hint=Signal::stored("Receives a signed POST when something happens in this room.".to_string())
        />
        <label class="field" hidden=no_url>
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
            <small class="hint">"Signs each event (HMAC-SHA256, header X-Webhook-Signature). Only you, the owner, see it."</small>
        </label>
        <fieldset class="event-choices" hidden=no_url>
            <legend>"Send these events"</legend>
            {event_choices}
        </fieldset>
        {log}
    }
}

fn choose(events: &mut WebhookEvents, kind: RoomEventKind, on: bool) {
    let kinds = events.kinds().into_iter().filter(|chosen| *chosen != kind);
    *events = if on {
        WebhookEvents::only(kinds.chain([kind]))
    } else {
        WebhookEvents::only(kinds)
    };
}
