//! `/transcripts` (the transcripts one may read, and search over them) and
//! `/transcripts/{id}` (one transcript with its audio). Each page is loaded
//! only when visited.

mod detail;
mod marks;
mod search;

use leptos::prelude::*;
use leptos_router::{lazy_route, LazyRoute};

pub struct TranscriptsRoute;

#[lazy_route]
impl LazyRoute for TranscriptsRoute {
    fn data() -> Self {
        TranscriptsRoute
    }

    fn view(_this: Self) -> AnyView {
        view! { <search::TranscriptsPage/> }.into_any()
    }
}

pub struct TranscriptRoute;

#[lazy_route]
impl LazyRoute for TranscriptRoute {
    fn data() -> Self {
        TranscriptRoute
    }

    fn view(_this: Self) -> AnyView {
        view! { <detail::TranscriptPage/> }.into_any()
    }
}
