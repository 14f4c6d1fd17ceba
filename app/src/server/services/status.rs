use crate::server::{AppError, AppState};
use crate::types::ServerStatus;

/// A short health summary of the running server.
pub async fn server_status(state: &AppState) -> Result<ServerStatus, AppError> {
    let rooms = state.store.count_rooms().await?;
    Ok(ServerStatus {
        version: env!("CARGO_PKG_VERSION").to_owned(),
        database: state.store.backend().name().to_owned(),
        rooms,
    })
}
