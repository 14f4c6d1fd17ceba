//! A place on the page for content whose code is a WASM chunk of its own,
//! fetched when the content is first shown (a form that opens on a click, a
//! table behind a toggle) rather than with the page.
//!
//! The content comes from a `#[lazy]` function that builds it into the slot
//! with [`mount_into`] and hands back the result; the slot keeps it until the
//! slot itself leaves the page. Until then the slot shows `placeholder`.
//! [`super::browser_only`] is the same slot with content that is ready at once.

use std::any::Any;
use std::future::Future;

use leptos::html::Div;
use leptos::prelude::*;

/// What a `#[lazy]` mounting function returns: dropping it takes the content
/// off the page and disposes of its signals and effects.
pub type Mounted = Box<dyn Any>;

pub fn lazy_slot<P, F, Fut>(class: Option<&'static str>, placeholder: P, mount: F) -> impl IntoView
where
    P: IntoView + 'static,
    F: FnOnce(web_sys::HtmlElement, Owner) -> Fut + 'static,
    Fut: Future<Output = Mounted> + 'static,
{
    let slot = NodeRef::<Div>::new();
    slot.on_load(move |element| {
        let mounted = StoredValue::new_local(None);
        let owner = Owner::current().expect("components run under an owner");
        leptos::task::spawn_local(async move {
            let content = mount(element.into(), owner).await;
            // If the slot left the page while the chunk loaded, this drops
            // the content at once.
            drop(mounted.try_set_value(Some(content)));
        });
    });
    view! { <div class=class node_ref=slot>{placeholder}</div> }
}

/// Builds `content` into `slot` (replacing the placeholder), owned by `owner`
/// so it can use the page's context. For the body of `#[lazy]` functions.
pub fn mount_into<V: IntoView + 'static>(
    slot: web_sys::HtmlElement,
    owner: Owner,
    content: impl FnOnce() -> V + 'static,
) -> Mounted {
    slot.set_inner_html("");
    Box::new(owner.with(|| leptos::mount::mount_to(slot, content)))
}
