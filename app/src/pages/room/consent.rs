//! Recording consent that never blocks the call: a control on top of the
//! call opens a prompt; the answer goes to the server and is remembered in
//! this browser for the meeting.

use leptos::ev;
use leptos::html::Button;
use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::api::record_consent;
use crate::browser::local_storage;
use crate::types::consent::{remember_answer, remembered_answer, shows_consent_button, CONSENT_STORAGE_KEY};
use crate::types::CallDetails;

#[derive(Clone, Copy)]
pub struct Consent {
    meeting_id: StoredValue<String>,
    /// This browser's answer for the meeting, if it gave one.
    pub answer: RwSignal<Option<bool>>,
    pub open: RwSignal<bool>,
    sending: RwSignal<bool>,
    error: RwSignal<Option<String>>,
}

impl Consent {
    /// Only created in the browser (the call is never server-rendered).
    pub fn for_meeting(meeting_id: String) -> Self {
        let remembered =
            remembered_answer(&local_storage::read_string_list(CONSENT_STORAGE_KEY), &meeting_id);
        Consent {
            meeting_id: StoredValue::new(meeting_id),
            answer: RwSignal::new(remembered),
            open: RwSignal::new(false),
            sending: RwSignal::new(false),
            error: RwSignal::new(None),
        }
    }

    fn send(self, given: bool) {
        let meeting_id = self.meeting_id.get_value();
        self.sending.set(true);
        self.error.set(None);
        spawn_local(async move {
            match record_consent(meeting_id.clone(), given).await {
                Ok(_) => {
                    let stored = local_storage::read_string_list(CONSENT_STORAGE_KEY);
                    local_storage::write_string_list(
                        CONSENT_STORAGE_KEY,
                        &remember_answer(stored, &meeting_id, given),
                    );
                    self.answer.set(Some(given));
                    self.open.set(false);
                }
                Err(error) => self
                    .error
                    .set(Some(format!("Your answer could not be recorded: {error}"))),
            }
            self.sending.set(false);
        });
    }
}

/// The question itself, over the call; Esc closes it without an answer.
#[component]
pub fn ConsentPrompt(consent: Consent) -> impl IntoView {
    let accept = NodeRef::<Button>::new();
    // The call's iframe takes the keyboard; focusing our answer brings it
    // back, so Esc and Enter reach this page.
    Effect::new(move || {
        if consent.open.get() {
            if let Some(button) = accept.get() {
                let _ = button.focus();
            }
        }
    });
    let escape = window_event_listener(ev::keydown, move |event| {
        if event.key() == "Escape" && consent.open.get_untracked() {
            consent.open.set(false);
        }
    });
    on_cleanup(move || escape.remove());

    view! {
        <div class="consent-prompt" role="dialog" aria-labelledby="consent-question" hidden=move || !consent.open.get()>
                <p id="consent-question">
                    "This meeting is being recorded. Can we store its audio recording on our servers?"
                </p>
                <p class="error" hidden=move || consent.error.with(Option::is_none)>
                    {move || consent.error.get().unwrap_or_default()}
                </p>
                <div class="actions">
                    <button
                        type="button"
                        class="button secondary"
                        disabled=move || consent.sending.get()
                        on:click=move |_| consent.send(false)
                    >
                        "No, delete after transcription"
                    </button>
                    <button
                        type="button"
                        class="button"
                        node_ref=accept
                        disabled=move || consent.sending.get()
                        on:click=move |_| consent.send(true)
                    >
                        "Yes, store the audio"
                    </button>
                </div>
                <p class="hint">"Esc closes this; the button stays until you answer."</p>
        </div>
    }
}

/// The consent control over a call whose platform has no tray of ours
/// (Whereby, Jitsi, LiveKit), shown while this meeting awaits an answer,
/// and the question it opens.
#[component]
pub fn CallConsent(consent: Consent, call: CallDetails) -> impl IntoView {
    let visible = Signal::derive(move || shows_consent_button(&call, consent.answer.get()));
    view! {
        <ConsentButton consent visible/>
        <ConsentPrompt consent/>
    }
}

#[component]
fn ConsentButton(consent: Consent, #[prop(into)] visible: Signal<bool>) -> impl IntoView {
    view! {
        <button
            type="button"
            class="consent-button"
            hidden=move || !visible.get() || consent.open.get()
            on:click=move |_| consent.open.set(true)
        >
            "● This meeting is being recorded — your choice"
        </button>
    }
}
