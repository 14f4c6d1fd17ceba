use crate::server::auth::password::{hash_password, verify_password, MIN_PASSWORD_LEN};
use crate::server::services::auth::{local_subject, normalize_email};
use crate::server::store::User;
use crate::server::{AppError, AppState};

/// Creates a password account, or sets the password of the existing one.
/// Running it again with the same password changes nothing.
pub async fn ensure_password_user(state: &AppState, email: &str, password: &str) -> Result<User, AppError> {
    let email = normalize_email(email);
    if !email.contains('@') || email.starts_with('@') || email.ends_with('@') {
        return Err(AppError::Unprocessable(format!(
            "'{email}' is not an e-mail address"
        )));
    }
    if password.chars().count() < MIN_PASSWORD_LEN {
        return Err(AppError::Unprocessable(format!(
            "The password must be at least {MIN_PASSWORD_LEN} characters long"
        )));
    }
    let subject = local_subject(&email);
    if let Some(existing) = state.store.user_by_subject(&subject).await? {
        if existing
            .password_hash
            .as_deref()
            .is_some_and(|hash| verify_password(password, hash))
        {
            return Ok(existing);
        }
    }
    let hash = hash_password(password)?;
    Ok(state.store.upsert_user(&subject, &email, Some(&hash)).await?)
}

/// The `ADMIN_EMAIL` / `ADMIN_PASSWORD` account, created or updated at startup.
pub async fn bootstrap_admin(state: &AppState) -> Result<Option<User>, AppError> {
    let auth = &state.settings.auth;
    match (&auth.admin_email, &auth.admin_password) {
        (Some(email), Some(password)) => {
            Ok(Some(ensure_password_user(state, email, password.expose()).await?))
        }
        _ => Ok(None),
    }
}
