//! Short confirmations ("Link copied", "Room saved") in one polite live
//! region, so screen readers hear them too. A page that shows them renders
//! [`ToastRegion`] once; anything on it then calls [`say`] or [`warn`].
//!
//! One toast at a time, a new one replacing the last. The toast is built
//! with plain DOM calls: as a reactive view it cost the rooms page 6 KB of
//! WASM on the wire, against a 250 KB budget it was already near.

use leptos::prelude::*;
use wasm_bindgen::{closure::Closure, JsCast};

use crate::browser::timer::sleep_ms;

/// How long a confirmation stays; a problem stays until dismissed.
const SHOWN_MS: i32 = 5000;
const REGION_ID: &str = "toasts";

#[component]
pub fn ToastRegion() -> impl IntoView {
    view! { <div id=REGION_ID class="toasts" role="status" aria-live="polite"></div> }
}

/// A confirmation that goes away by itself.
pub fn say(text: &str) {
    if let Some(toast) = show(text, false) {
        leptos::task::spawn_local(async move {
            sleep_ms(SHOWN_MS).await;
            toast.remove();
        });
    }
}

/// Something that went wrong, or words to act on: it stays until closed.
pub fn warn(text: &str) {
    show(text, true);
}

fn show(text: &str, problem: bool) -> Option<web_sys::Element> {
    let document = web_sys::window()?.document()?;
    let region = document.get_element_by_id(REGION_ID)?;
    let toast = document.create_element("p").ok()?;
    toast.set_class_name(if problem { "toast problem" } else { "toast" });
    let words = document.create_element("span").ok()?;
    words.set_text_content(Some(text));
    let close = document.create_element("button").ok()?;
    for (name, value) in [
        ("type", "button"),
        ("class", "toast-close"),
        ("aria-label", "Dismiss"),
    ] {
        close.set_attribute(name, value).ok()?;
    }
    close.set_text_content(Some("×"));
    let closed = toast.clone();
    let on_close = Closure::once_into_js(move || closed.remove());
    close
        .unchecked_ref::<web_sys::HtmlElement>()
        .set_onclick(Some(on_close.unchecked_ref()));
    toast.append_child(&words).ok()?;
    toast.append_child(&close).ok()?;
    region.replace_children_with_node_1(&toast);
    Some(toast)
}
