//! Operations shared by the REST API and the server functions.

pub mod status;
