use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::{on_pool, Store, StoreError};

/// An account. `subject` is the identity provider's id for the user, or
/// `local:{email}` for password accounts.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, sqlx::FromRow)]
pub struct User {
    pub id: String,
    pub email: String,
    pub subject: String,
    #[serde(skip_serializing)]
    pub password_hash: Option<String>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl Store {
    /// Creates the user with `subject`, or updates its email (and password
    /// hash, when given) if it exists.
    pub async fn upsert_user(
        &self,
        subject: &str,
        email: &str,
        password_hash: Option<&str>,
    ) -> Result<User, StoreError> {
        let now = Utc::now();
        let user = on_pool!(self, pool => sqlx::query_as::<_, User>(
            "INSERT INTO user_account (id, email, subject, password_hash, created_at, updated_at)
             VALUES ($1, $2, $3, $4, $5, $5)
             ON CONFLICT (subject) DO UPDATE SET
                email = excluded.email,
                password_hash = COALESCE(excluded.password_hash, user_account.password_hash),
                updated_at = excluded.updated_at
             RETURNING *"
        )
            .bind(uuid::Uuid::new_v4().to_string())
            .bind(email)
            .bind(subject)
            .bind(password_hash)
            .bind(now)
            .fetch_one(pool)
            .await?);
        Ok(user)
    }

    pub async fn user_by_id(&self, id: &str) -> Result<Option<User>, StoreError> {
        let user = on_pool!(self, pool => sqlx::query_as::<_, User>("SELECT * FROM user_account WHERE id = $1")
            .bind(id)
            .fetch_optional(pool)
            .await?);
        Ok(user)
    }
}

impl Store {
    pub async fn user_by_subject(&self, subject: &str) -> Result<Option<User>, StoreError> {
        let user = on_pool!(self, pool => sqlx::query_as::<_, User>("SELECT * FROM user_account WHERE subject = $1")
            .bind(subject)
            .fetch_optional(pool)
            .await?);
        Ok(user)
    }
}
