//! Operations shared by the REST API and the server functions.

pub mod api_keys;
pub mod auth;
pub mod calendar;
pub mod failover;
pub mod history;
pub mod lease;
pub mod lifecycle;
pub mod meetings;
pub mod paging;
pub mod permissions;
pub mod recordings;
pub mod retention;
pub mod room_visit;
pub mod room_webhooks;
pub mod rooms;
pub mod single_flight;
pub mod transcripts;
pub mod users;
pub mod webhooks;
