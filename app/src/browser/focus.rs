//! The keyboard in a modal dialog: Tab and Shift+Tab go round its controls
//! instead of into the page behind it, and focus goes back to whatever
//! opened it when it closes.

use send_wrapper::SendWrapper;
use wasm_bindgen::JsCast;
use web_sys::{Element, HtmlElement, KeyboardEvent};

const FOCUSABLE: &str = "a[href], button:not([disabled]), input:not([disabled]), \
    select:not([disabled]), textarea:not([disabled]), [tabindex]:not([tabindex='-1'])";

fn focused() -> Option<Element> {
    web_sys::window()?.document()?.active_element()
}

/// On Tab at the dialog's last control (or Shift+Tab at its first, or with
/// focus on the dialog itself), focus goes to the other end instead. The
/// dialog needs `tabindex="-1"`, so that focus never falls out of it to the
/// page's body when its text is clicked.
pub fn keep_tab_inside(event: &KeyboardEvent, dialog: &Element) {
    if event.key() != "Tab" {
        return;
    }
    let Ok(found) = dialog.query_selector_all(FOCUSABLE) else {
        return;
    };
    // Controls in hidden tabs or sections have no boxes on the screen.
    let controls: Vec<HtmlElement> = (0..found.length())
        .filter_map(|index| found.item(index)?.dyn_into::<HtmlElement>().ok())
        .filter(|control| control.get_client_rects().length() > 0)
        .collect();
    let (Some(first), Some(last)) = (controls.first(), controls.last()) else {
        return;
    };
    let current = focused();
    let inside = current
        .as_ref()
        .is_some_and(|element| dialog.contains(Some(element)));
    let (edge, other_end) = if event.shift_key() {
        (first, last)
    } else {
        (last, first)
    };
    let at_edge = current.as_ref() == Some(edge.unchecked_ref::<Element>());
    // A click on the dialog's text focuses the dialog itself (tabindex -1),
    // from where the browser's next stop would be outside it.
    let on_dialog = current.as_ref() == Some(dialog);
    if at_edge || on_dialog || !inside {
        event.prevent_default();
        let _ = other_end.focus();
    }
}

/// Remembers what has focus now; the returned function focuses it again
/// (if it is still on the page), for a dialog's cleanup.
pub fn focus_returner() -> impl FnOnce() + Send + Sync + 'static {
    let opener = SendWrapper::new(focused().and_then(|element| element.dyn_into::<HtmlElement>().ok()));
    move || {
        if let Some(opener) = opener.take() {
            if opener.is_connected() {
                let _ = opener.focus();
            }
        }
    }
}
