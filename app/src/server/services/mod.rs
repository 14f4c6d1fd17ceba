//! Operations shared by the REST API and the server functions.

pub mod api_keys;
pub mod auth;
pub mod permissions;
pub mod status;
pub mod users;
