use serde::{Deserialize, Serialize};

/// What the home page shows about the running server.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ServerStatus {
    pub version: String,
    pub database: String,
    pub rooms: i64,
}
