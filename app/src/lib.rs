//! Reflector Rooms' Leptos crate: shared types, pages and server functions.
//! Built twice: with `ssr` into the server, with `hydrate` into the browser's
//! WASM bundle (which must not pull any server crate).

pub mod api;
mod app;
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
    leptos::mount::hydrate_body(App);
}
