use leptos::prelude::*;
use leptos_meta::Title;

/// The document title, "<page> · Reflector Rooms". Each page sets the whole
/// title itself: a formatter in the app's layout would hydrate before the
/// lazily loaded page and blank the tab's title until the page's chunk came.
#[component]
pub fn PageTitle(#[prop(into)] page: Signal<String>) -> impl IntoView {
    view! { <Title text=move || format!("{} · Reflector Rooms", page.get())/> }
}
