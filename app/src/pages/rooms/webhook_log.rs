//! A saved room's webhook log in the form's Webhook tab: *Send test event*
//! with its result in words, the latest deliveries with their outcome and
//! the receiver's answer, *Redeliver*. A WASM chunk of its own, fetched when
//! the tab is first shown.

use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::api::{redeliver_room_webhook, room_webhook_deliveries, test_room_webhook};
use crate::browser::local_time::day_and_time;
use crate::browser::timer::sleep_ms;
use crate::components::{lazy_slot, mount_into, Mounted};
use crate::types::room_form::RoomDraft;
use crate::types::{DeliveryStatus, Room, WebhookDelivery};

/// Deliveries the tab lists (the REST log pages through all of them).
const SHOWN_DELIVERIES: i64 = 10;

#[component]
pub fn LazyDeliveryLog(room: Room, draft: RwSignal<RoomDraft>) -> impl IntoView {
    let placeholder = view! { <p role="status">"Loading deliveries…"</p> };
    lazy_slot(None, placeholder, move |slot, owner| {
        mount_delivery_log(slot, owner, room, draft)
    })
}

#[leptos::lazy]
fn mount_delivery_log(
    slot: web_sys::HtmlElement,
    owner: Owner,
    room: Room,
    draft: RwSignal<RoomDraft>,
) -> Mounted {
    mount_into(slot, owner, move || view! { <DeliveryLog room draft/> })
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
    // Reads the log again, and keeps reading it every few seconds while an
    // event is on its way, until the form closes. A newer reload replaces it.
    let generation = StoredValue::new(0_u32);
    let reload = move || {
        let mine = generation.get_value().wrapping_add(1);
        generation.set_value(mine);
        spawn_local(async move {
            let Some(id) = room_id.try_get_value() else {
                return;
            };
            loop {
                let pending = match room_webhook_deliveries(id.clone(), 1, SHOWN_DELIVERIES).await {
                    Ok(page) => {
                        let pending = page.items.iter().any(|d| d.status == DeliveryStatus::Pending);
                        if total.try_set(page.total).is_some() || deliveries.try_set(page.items).is_some() {
                            return;
                        }
                        pending
                    }
                    Err(error) => {
                        failure.try_set(error.detail);
                        return;
                    }
                };
                if !pending {
                    return;
                }
                sleep_ms(2000).await;
                if generation.try_get_value() != Some(mine) {
                    return;
                }
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
            <p class="hint" hidden=move || total.get() != 0>"Nothing sent yet. Send a test event to try the address."</p>
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
