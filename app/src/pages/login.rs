use leptos::form::ActionForm;
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;
use leptos_router::{lazy_route, LazyRoute};

use crate::api::Login;
use crate::components::PageTitle;

/// `/login`, loaded only when visited. A successful login redirects with a
/// full page load (see `hydrate`), so the header learns who is signed in
/// from the server.
pub struct LoginRoute;

#[lazy_route]
impl LazyRoute for LoginRoute {
    fn data() -> Self {
        LoginRoute
    }

    fn view(_this: Self) -> AnyView {
        view! { <LoginPage/> }.into_any()
    }
}

#[component]
fn LoginPage() -> impl IntoView {
    let login = ServerAction::<Login>::new();
    let query = use_query_map();
    let next = move || query.read().get("next").unwrap_or_default();
    let failure = move || login.value().get().and_then(Result::err);

    view! {
        <PageTitle page="Log in"/>
        <main class="page narrow">
            <h1>"Log in"</h1>
            <ActionForm action=login attr:class="card form">
                <input type="hidden" name="next" value=next/>
                <label class="field">
                    <span>"E-mail"</span>
                    <input type="email" name="email" required autocomplete="username"/>
                </label>
                <label class="field">
                    <span>"Password"</span>
                    <input type="password" name="password" required autocomplete="current-password"/>
                </label>
                {move || failure().map(|error| view! { <p class="error" role="alert">{error.detail}</p> })}
                <button type="submit" class="button" disabled=move || login.pending().get()>
                    "Log in"
                </button>
            </ActionForm>
            <p class="hint">
                "The first account is created by the server's administrator: see the README."
            </p>
        </main>
    }
}
