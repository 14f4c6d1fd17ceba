//! Server functions: the UI's calls into the server. Each one only unpacks
//! its context and delegates to `crate::server::services`, the same code the
//! REST API calls.

mod auth;
mod calendar;
#[cfg(feature = "ssr")]
mod context;
mod room_webhooks;
mod rooms;
mod transcripts;

pub use auth::*;
pub use calendar::*;
pub use room_webhooks::*;
pub use rooms::*;
pub use transcripts::*;
