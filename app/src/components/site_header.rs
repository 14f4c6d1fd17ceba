use leptos::prelude::*;

use crate::api::current_user;

#[component]
pub fn SiteHeader() -> impl IntoView {
    // Who is signed in; logging in or out ends in a full page load, which
    // asks again.
    let me = Resource::new(|| (), |_| current_user());

    view! {
        <header class="site-header">
            <a class="brand" href="/">"Reflector Rooms"</a>
            <nav class="site-nav" aria-label="Main">
                <a href="/rooms">"Rooms"</a>
                <Transition fallback=|| ()>
                    {move || {
                        me
                            .get()
                            .map(|me| match me {
                                Ok(Some(me)) => {
                                    view! {
                                        <span class="who">{me.email.unwrap_or(me.sub)}</span>
                                        // A plain form: the server clears the cookie and
                                        // redirects, no script needed.
                                        <form method="post" action="/api/logout" class="inline-form">
                                            <button type="submit" class="link-button">"Log out"</button>
                                        </form>
                                    }
                                        .into_any()
                                }
                                _ => view! { <a href="/login">"Log in"</a> }.into_any(),
                            })
                    }}
                </Transition>
            </nav>
        </header>
    }
}
