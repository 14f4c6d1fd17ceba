//! The server-only half of the app crate (feature `ssr`): settings, store and
//! services. REST handlers (in the server binary) and server functions (in
//! `crate::api`) both call the services here; neither holds business rules.

pub mod auth;
pub mod calendar;
pub mod error;
pub mod jobs;
pub mod platforms;
pub mod recordings;
pub mod secret;
pub mod services;
pub mod settings;
pub mod state;
pub mod store;
pub mod user_urls;

pub use error::AppError;
pub use state::AppState;
