use leptos::prelude::*;
use leptos_meta::{provide_meta_context, MetaTags};
use leptos_router::components::{Route, Router, Routes};
use leptos_router::{path, Lazy};

use crate::components::SiteHeader;
use crate::pages::{
    HistoryRoute, HomeRoute, LoginRoute, NotFoundPage, RoomRoute, RoomsRoute, TranscriptRoute,
    TranscriptsRoute,
};

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
                // Static head content is rendered here, on the server only, so
                // the browser bundle carries no code for it.
                <link id="leptos" rel="stylesheet" href="/pkg/reflector.css"/>
                <link rel="icon" type="image/svg+xml" href="/favicon.svg"/>
                <meta name="description" content="Self-hosted meeting rooms on Whereby and Daily.co"/>
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

    view! {
        <Router>
            <SiteHeader/>
            <Routes fallback=NotFoundPage>
                <Route path=path!("/") view={Lazy::<HomeRoute>::new()}/>
                <Route path=path!("/login") view={Lazy::<LoginRoute>::new()}/>
                <Route path=path!("/rooms") view={Lazy::<RoomsRoute>::new()}/>
                <Route path=path!("/rooms/:room_name/history") view={Lazy::<HistoryRoute>::new()}/>
                <Route path=path!("/transcripts") view={Lazy::<TranscriptsRoute>::new()}/>
                <Route path=path!("/transcripts/:id") view={Lazy::<TranscriptRoute>::new()}/>
                // Participants' pages: full screen, the site header hidden.
                <Route path=path!("/:room_name") view={Lazy::<RoomRoute>::new()}/>
                <Route path=path!("/:room_name/:meeting_id") view={Lazy::<RoomRoute>::new()}/>
            </Routes>
        </Router>
    }
}
