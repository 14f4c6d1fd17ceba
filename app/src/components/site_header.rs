use leptos::form::ActionForm;
use leptos::prelude::*;

use super::AuthContext;

#[component]
pub fn SiteHeader() -> impl IntoView {
    let auth = expect_context::<AuthContext>();

    view! {
        <header class="site-header">
            <a class="brand" href="/">"Reflector Rooms"</a>
            <nav class="site-nav" aria-label="Main">
                <a href="/rooms">"Rooms"</a>
                <Transition fallback=|| ()>
                    {move || {
                        auth.me
                            .get()
                            .map(|me| match me {
                                Ok(Some(me)) => {
                                    view! {
                                        <span class="who">{me.email.unwrap_or(me.sub)}</span>
                                        <ActionForm action=auth.logout attr:class="inline-form">
                                            <button type="submit" class="link-button">"Log out"</button>
                                        </ActionForm>
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
