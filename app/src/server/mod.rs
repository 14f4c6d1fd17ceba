//! The server-only half of the app crate (feature `ssr`): settings, store and
//! services. REST handlers (in the server binary) and server functions (in
//! `crate::api`) both call the services here; neither holds business rules.

pub mod auth;
pub mod calendar;
pub mod error;
pub mod jobs;
pub mod nul_text;
pub mod platforms;
pub mod recordings;
pub mod secret;
pub mod services;
pub mod settings;
pub mod state;
pub mod store;
pub mod transcription;
pub mod user_urls;

pub use error::AppError;
pub use state::AppState;

/// How many cases each property-based fuzz test tries: `default` in a
/// normal test run, `PROPTEST_CASES` for a longer hunt.
#[cfg(test)]
pub(crate) fn fuzz_cases(default: u32) -> u32 {
    std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|cases| cases.parse().ok())
        .unwrap_or(default)
}
