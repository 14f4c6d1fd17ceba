//! Content that only the browser renders: the server sends an empty element,
//! and once the page has hydrated the content is built into it.
//!
//! For pages whose data loads in the browser anyway (the rooms list, the
//! room's call) nothing is lost on the server, and the bundle shrinks a lot:
//! a view that is hydrated also compiles its hydration code, twice for lazy
//! routes (sync and async), which is about a third of a page's WASM. Inside
//! `content`, use `Either`/`Option` rather than `into_any()` or children
//! components such as `<Show>`: those erase the view into an `AnyView`, which
//! brings the hydration code back.

use leptos::prelude::*;

use super::{lazy_slot, mount_into};

/// `placeholder` is what the page shows until the content is built.
pub fn browser_only<F, V>(class: &'static str, placeholder: &'static str, content: F) -> impl IntoView
where
    F: FnOnce() -> V + 'static,
    V: IntoView + 'static,
{
    let placeholder = view! { <p role="status">{placeholder}</p> };
    lazy_slot(Some(class), placeholder, move |slot, owner| async move {
        mount_into(slot, owner, content)
    })
}
