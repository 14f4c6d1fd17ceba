//! Reflector Rooms' Leptos crate: shared types, pages and server functions.
//! Built twice: with `ssr` into the server, with `hydrate` into the browser's
//! WASM bundle (which must not pull any server crate).
// Leptos view types nest deeply; release builds need room to compute their layout.
#![recursion_limit = "256"]

pub mod api;
mod app;
mod browser;
mod components;
mod pages;
#[cfg(feature = "ssr")]
pub mod server;
pub mod types;

pub use app::{shell, App};

#[cfg(feature = "hydrate")]
#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    // A server function that redirects (logging in) loads the next page in
    // full, so the site header, hydrated once, shows who is now signed in.
    // Set before the router, which would otherwise navigate in place.
    let _ = leptos::server_fn::redirect::set_redirect_hook(|location: &str| {
        let _ = leptos::prelude::window().location().set_href(location);
    });
    // Lazy routes (the rooms and room pages) need their chunk before hydrating.
    leptos::mount::hydrate_lazy(App);
}
