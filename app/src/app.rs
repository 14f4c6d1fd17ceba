use leptos::prelude::*;
use leptos_meta::{provide_meta_context, Link, Meta, MetaTags, Stylesheet, Title};
use leptos_router::components::{Route, Router, Routes};
use leptos_router::{path, Lazy};

use crate::components::provide_auth_context;
use crate::pages::{HomePage, LoginPage, NotFoundPage, RoomRoute, RoomsRoute};

/// The HTML document around the app, rendered on the server only.
pub fn shell(options: LeptosOptions) -> impl IntoView {
    view! {
        <!DOCTYPE html>
        <html lang="en">
            <head>
                <meta charset="utf-8"/>
                <meta name="viewport" content="width=device-width, initial-scale=1"/>
                <AutoReload options=options.clone()/>
                <HydrationScripts options/>
                <MetaTags/>
            </head>
            <body>
                <App/>
            </body>
        </html>
    }
}

#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    provide_auth_context();

    view! {
        <Stylesheet id="leptos" href="/pkg/reflector.css"/>
        <Link rel="icon" type_="image/svg+xml" href="/favicon.svg"/>
        <Meta name="description" content="Self-hosted meeting rooms on Whereby and Daily.co"/>
        <Title formatter=|page: String| format!("{page} · Reflector Rooms")/>
        <Router>
            <Routes fallback=NotFoundPage>
                <Route path=path!("/") view=HomePage/>
                <Route path=path!("/login") view=LoginPage/>
                <Route path=path!("/rooms") view={Lazy::<RoomsRoute>::new()}/>
                // Participants' pages: full screen, without the site header.
                <Route path=path!("/:room_name") view={Lazy::<RoomRoute>::new()}/>
                <Route path=path!("/:room_name/:meeting_id") view={Lazy::<RoomRoute>::new()}/>
            </Routes>
        </Router>
    }
}
