use leptos::prelude::*;
use leptos_router::{lazy_route, LazyRoute};

use crate::api::fetch_server_status;
use crate::components::PageTitle;

/// `/`, loaded as its own chunk so the room page never carries it.
pub struct HomeRoute;

#[lazy_route]
impl LazyRoute for HomeRoute {
    fn data() -> Self {
        HomeRoute
    }

    fn view(_this: Self) -> AnyView {
        view! { <HomePage/> }.into_any()
    }
}

#[component]
fn HomePage() -> impl IntoView {
    let check = Action::new(|_: &()| fetch_server_status());
    let checking = check.pending();
    let outcome = check.value();
    // Server-rendered disabled; enabled once hydration has attached the handler.
    let interactive = RwSignal::new(false);
    Effect::new(move || interactive.set(true));

    view! {
        <PageTitle page="Welcome"/>
        <main class="page narrow">
            <h1>"Reflector Rooms"</h1>
            <p class="lead">
                "Meeting rooms that record and transcribe, on the video platform you choose. "
                "Open a room at its own address, for example "<code>"/team-standup"</code>"."
            </p>
            <section class="card" aria-labelledby="status-heading">
                <h2 id="status-heading">"Server status"</h2>
                <button
                    type="button"
                    class="button"
                    disabled=move || !interactive.get() || checking.get()
                    on:click=move |_| {
                        check.dispatch(());
                    }
                >
                    {move || if checking.get() { "Checking…" } else { "Check server" }}
                </button>
                <p class="status" role="status" aria-live="polite">
                    {move || match outcome.get() {
                        None => String::new(),
                        Some(Ok(status)) => format!(
                            "Connected: version {}, {} database, {} room{}.",
                            status.version,
                            status.database,
                            status.rooms,
                            if status.rooms == 1 { "" } else { "s" },
                        ),
                        Some(Err(error)) => format!("The server could not be checked: {error}"),
                    }}
                </p>
            </section>
        </main>
    }
}
