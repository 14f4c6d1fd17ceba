use std::sync::Arc;

use super::error::AppError;
use super::settings::Settings;
use super::store::Store;

/// What every service needs: handed to REST handlers as axum state and to
/// server functions as Leptos context.
#[derive(Clone)]
pub struct AppState {
    pub store: Store,
    pub settings: Arc<Settings>,
}

impl AppState {
    pub fn new(store: Store, settings: Settings) -> Self {
        AppState {
            store,
            settings: Arc::new(settings),
        }
    }

    /// The state inside a server function.
    pub fn from_context() -> Result<Self, AppError> {
        leptos::prelude::use_context::<AppState>()
            .ok_or_else(|| AppError::internal("AppState missing from context"))
    }
}
