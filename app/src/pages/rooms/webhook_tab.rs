//! The room form's Webhook tab: the receiver's URL and secret, the events
//! the room sends, and (for a saved room) a test button and the latest
//! deliveries with what the receiver answered, each one redeliverable.

use leptos::prelude::*;
use leptos::task::spawn_local;

use super::fields::{CheckField, TextField};
use crate::api::{redeliver_room_webhook, room_webhook_deliveries, test_room_webhook};
use crate::browser::local_time::day_and_time;
use crate::types::room_form::RoomDraft;
use crate::types::{DeliveryStatus, Room, RoomEventKind, WebhookDelivery, WebhookEvents};

/// Deliveries the tab lists (the REST log pages through all of them).
const SHOWN_DELIVERIES: i64 = 10;

#[component]
pub fn WebhookTab(draft: RwSignal<RoomDraft>, saved: Option<Room>) -> impl IntoView {
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
    let log = saved.map(|room| view! { <DeliveryLog room draft/> });

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

/// A saved room's test button and latest deliveries.
#[component]
fn DeliveryLog(room: Room, draft: RwSignal<RoomDraft>) -> impl IntoView {
    let room_id = StoredValue::new(room.id.clone());
    let deliveries = RwSignal::new(Vec::<WebhookDelivery>::new());
    let total = RwSignal::new(0_i64);
    let failure = RwSignal::new(String::new());
    let test_result = RwSignal::new(String::new());
    let testing = RwSignal::new(false);
    let reload = move || {
        spawn_local(async move {
            match room_webhook_deliveries(room_id.get_value(), 1, SHOWN_DELIVERIES).await {
                Ok(page) => {
                    total.set(page.total);
                    deliveries.set(page.items);
                }
                Err(error) => failure.set(error.detail),
            }
        });
    };
    reload();
    let send_test = move |_| {
        testing.set(true);
        test_result.set(String::new());
        failure.set(String::new());
        spawn_local(async move {
            match test_room_webhook(room_id.get_value()).await {
                Ok(result) => test_result.set(result.in_words()),
                Err(error) => failure.set(error.detail),
            }
            testing.set(false);
            reload();
        });
    };
    let redeliver = Callback::new(move |event_id: String| {
        failure.set(String::new());
        spawn_local(async move {
            match redeliver_room_webhook(room_id.get_value(), event_id).await {
                Ok(_) => reload(),
                Err(error) => failure.set(error.detail),
            }
        });
    });
    let saved_url = room.webhook_url.clone().unwrap_or_default();
    let unsaved = Signal::derive(move || draft.with(|d| d.webhook_url.trim() != saved_url.trim()));
    let has_saved_url = room
        .webhook_url
        .as_deref()
        .is_some_and(|url| !url.trim().is_empty());

    view! {
        <section class="sync-status" aria-label="Webhook deliveries">
            <p hidden=move || !unsaved.get() class="hint">
                "Save to use the new address; the test and the deliveries use the saved one."
            </p>
            <button
                type="button"
                class="button secondary"
                disabled=move || testing.get() || !has_saved_url
                on:click=send_test
            >
                {move || if testing.get() { "Sending…" } else { "Send test event" }}
            </button>
            <p class="hint" role="status" hidden=move || test_result.with(String::is_empty)>{test_result}</p>
            <p class="error" role="alert" hidden=move || failure.with(String::is_empty)>{failure}</p>
            <h3>"Latest deliveries"</h3>
            <p class="hint" hidden=move || total.get() != 0>"Nothing sent yet."</p>
            <ul class="deliveries">
                <For each=move || deliveries.get() key=|delivery| (delivery.event_id.clone(), delivery.attempts.len(), delivery.status) let:delivery>
                    <DeliveryRow delivery redeliver/>
                </For>
            </ul>
            <p class="hint" hidden=move || total.get() <= SHOWN_DELIVERIES>
                {move || format!("{} more in GET /v1/rooms/{}/webhook/deliveries.", total.get() - SHOWN_DELIVERIES, room_id.get_value())}
            </p>
        </section>
    }
}

#[component]
fn DeliveryRow(delivery: WebhookDelivery, redeliver: Callback<String>) -> impl IntoView {
    let outcome = delivery.in_words();
    let class = match delivery.status {
        DeliveryStatus::Failed => "error",
        _ => "hint",
    };
    let preview = delivery
        .attempts
        .first()
        .and_then(|attempt| attempt.response_preview.clone())
        .filter(|preview| !preview.is_empty());
    let event_id = delivery.event_id.clone();
    let can_redeliver = delivery.status != DeliveryStatus::Pending;
    view! {
        <li class="delivery">
            <span>
                <strong>{delivery.event.label()}</strong>
                " · "
                {day_and_time(delivery.occurred_at.timestamp_millis())}
            </span>
            <span class=class>{outcome}</span>
            {preview.map(|preview| view! { <code class="preview" title="The receiver's answer">{preview}</code> })}
            <button
                type="button"
                class="link-button"
                hidden=!can_redeliver
                on:click=move |_| redeliver.run(event_id.clone())
            >
                "Redeliver"
            </button>
        </li>
    }
}
