use crate::server::auth::{api_keys, Caller};
use crate::server::services::permissions::require_user;
use crate::server::{AppError, AppState};
use crate::types::{ApiKey, CreateApiKey, CreatedApiKey};

pub async fn create(
    state: &AppState,
    caller: &Caller,
    request: &CreateApiKey,
) -> Result<CreatedApiKey, AppError> {
    let user = require_user(caller)?;
    let name = match request.name.as_deref().map(str::trim) {
        Some("") => {
            return Err(AppError::Unprocessable(
                "name: must not be empty (omit it or send null)".into(),
            ))
        }
        Some(name) if name.chars().count() > 200 => {
            return Err(AppError::Unprocessable("name: at most 200 characters".into()))
        }
        other => other,
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
