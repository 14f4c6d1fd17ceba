//! The site header, part of the app's layout: hydrated once with the first
//! page and never rebuilt, so the signed-in part can come from the server
//! as finished HTML and the browser bundle carries no code to fetch the user.
//! The participant's room page hides it with CSS (full screen, no chrome).

use leptos::prelude::*;

#[component]
pub fn SiteHeader() -> impl IntoView {
    view! {
        <header class="site-header">
            <a class="brand" href="/">"Reflector Rooms"</a>
            <nav class="site-nav" aria-label="Main">
                <a href="/rooms">"Rooms"</a>
                <a href="/transcripts">"Transcripts"</a>
                // Hydration keeps what the server wrote here.
                <div class="account" inner_html=account_markup()></div>
            </nav>
        </header>
    }
}

/// Who is signed in, and the way out: a plain form, so logging out needs no
/// script. Logging in or out ends in a full page load, which renders it anew.
#[cfg(feature = "ssr")]
fn account_markup() -> String {
    use crate::server::auth::Caller;
    use crate::server::services::auth::me;

    let caller = use_context::<axum::http::request::Parts>()
        .and_then(|parts| parts.extensions.get::<Caller>().cloned());
    match caller.as_ref().and_then(me) {
        Some(me) => view! {
            <span class="who">{me.email.unwrap_or(me.sub)}</span>
            <form method="post" action="/api/logout" class="inline-form">
                <button type="submit" class="link-button">"Log out"</button>
            </form>
        }
        .to_html(),
        None => view! { <a href="/login">"Log in"</a> }.to_html(),
    }
}

#[cfg(not(feature = "ssr"))]
fn account_markup() -> String {
    String::new()
}
