use leptos::prelude::*;

/// The header without the signed-in user's menu, for pages whose visitors
/// are not signed in (log in, not found): it needs no data, so those pages'
/// bundles skip the code that fetches the user.
#[component]
pub fn PlainHeader() -> impl IntoView {
    view! {
        <header class="site-header">
            <a class="brand" href="/">"Reflector Rooms"</a>
            <nav class="site-nav" aria-label="Main">
                <a href="/rooms">"Rooms"</a>
                <a href="/login">"Log in"</a>
            </nav>
        </header>
    }
}
