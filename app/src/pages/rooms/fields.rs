//! The room form's inputs. Each takes type-erased signals and callbacks, so
//! every field of a kind shares one compiled implementation: the browser
//! bundle pays for each kind once, not once per field.

use leptos::prelude::*;

#[component]
pub fn CheckField(
    label: &'static str,
    #[prop(into)] checked: Signal<bool>,
    on_change: Callback<bool>,
    #[prop(optional, into)] hidden: Signal<bool>,
) -> impl IntoView {
    view! {
        <label class="check" hidden=hidden>
            <input
                type="checkbox"
                prop:checked=checked
                on:change=move |event| on_change.run(event_target_checked(&event))
            />
            <span>{label}</span>
        </label>
    }
}

/// A select over fixed `(value, label)` choices.
#[component]
pub fn ChoiceField(
    label: &'static str,
    name: &'static str,
    choices: Vec<(String, String)>,
    #[prop(into)] value: Signal<String>,
    on_change: Callback<String>,
    #[prop(optional, into)] hidden: Signal<bool>,
    #[prop(optional, into)] hint: Signal<String>,
) -> impl IntoView {
    let options = choices
        .into_iter()
        .map(|(value, label)| view! { <option value=value>{label}</option> })
        .collect_view();
    view! {
        <label class="field" hidden=hidden>
            <span>{label}</span>
            <select name=name prop:value=value on:change=move |event| on_change.run(event_target_value(&event))>
                {options}
            </select>
            <small class="hint">{hint}</small>
        </label>
    }
}

#[component]
pub fn TextField(
    label: &'static str,
    name: &'static str,
    #[prop(into)] value: Signal<String>,
    on_input: Callback<String>,
    #[prop(optional)] placeholder: &'static str,
    #[prop(optional, into)] hint: Signal<String>,
    #[prop(optional, into)] problem: Signal<String>,
    #[prop(optional)] node_ref: NodeRef<leptos::html::Input>,
) -> impl IntoView {
    let no_problem = Signal::derive(move || problem.with(String::is_empty));
    view! {
        <label class="field">
            <span>{label}</span>
            <input
                type="text"
                name=name
                autocomplete="off"
                placeholder=placeholder
                node_ref=node_ref
                prop:value=value
                on:input=move |event| on_input.run(event_target_value(&event))
            />
            <small class="hint">{hint}</small>
            <small class="error" hidden=no_problem>{problem}</small>
        </label>
    }
}
