use crate::server::auth::{api_keys, Caller};
use crate::server::services::permissions::require_user;
use crate::server::{AppError, AppState};
use crate::types::{ApiKey, CreateApiKey, CreatedApiKey};

/// The longest API key name (the OpenAPI document says the same).
pub const MAX_KEY_NAME_CHARS: usize = 200;

pub async fn create(
    state: &AppState,
    caller: &Caller,
    request: &CreateApiKey,
) -> Result<CreatedApiKey, AppError> {
    let user = require_user(caller)?;
    let name = match request.name.as_deref() {
        Some(name) if name.trim().is_empty() => {
            return Err(AppError::Unprocessable(
                "name: must not be empty (omit it or send null)".into(),
            ))
        }
        Some(name) if name.chars().count() > MAX_KEY_NAME_CHARS => {
            return Err(AppError::Unprocessable("name: at most 200 characters".into()))
        }
        other => other.map(str::trim),
    };
    let key = api_keys::generate();
    let info = state
        .store
        .insert_api_key(&user.id, name, &api_keys::hash(&state.settings.secret_key, &key))
        .await?;
    Ok(CreatedApiKey { info, key })
}

pub async fn list(state: &AppState, caller: &Caller) -> Result<Vec<ApiKey>, AppError> {
    let user = require_user(caller)?;
    Ok(state.store.api_keys_of(&user.id).await?)
}

/// Deletes one of the caller's keys; someone else's key is as unknown as a missing one.
pub async fn delete(state: &AppState, caller: &Caller, key_id: &str) -> Result<(), AppError> {
    let user = require_user(caller)?;
    if state.store.delete_api_key(key_id, &user.id).await? {
        Ok(())
    } else {
        Err(AppError::NotFound("API key not found".into()))
    }
}
