use chrono::Utc;

use super::{on_pool, Store, StoreError, User};
use crate::types::ApiKey;

impl Store {
    pub async fn insert_api_key(
        &self,
        user_id: &str,
        name: Option<&str>,
        key_hash: &str,
    ) -> Result<ApiKey, StoreError> {
        let key = on_pool!(self, pool => sqlx::query_as::<_, ApiKey>(
            "INSERT INTO user_api_key (id, user_id, key_hash, name, created_at)
             VALUES ($1, $2, $3, $4, $5)
             RETURNING id, user_id, name, created_at"
        )
            .bind(uuid::Uuid::new_v4().to_string())
            .bind(user_id)
            .bind(key_hash)
            .bind(name)
            .bind(Utc::now())
            .fetch_one(pool)
            .await?);
        Ok(key)
    }

    /// The user's keys, newest first.
    pub async fn api_keys_of(&self, user_id: &str) -> Result<Vec<ApiKey>, StoreError> {
        let keys = on_pool!(self, pool => sqlx::query_as::<_, ApiKey>(
            "SELECT id, user_id, name, created_at FROM user_api_key
             WHERE user_id = $1 ORDER BY created_at DESC, id"
        )
            .bind(user_id)
            .fetch_all(pool)
            .await?);
        Ok(keys)
    }

    /// Deletes the key if `user_id` owns it; false when there was no such key of theirs.
    pub async fn delete_api_key(&self, id: &str, user_id: &str) -> Result<bool, StoreError> {
        let deleted = on_pool!(self, pool => sqlx::query("DELETE FROM user_api_key WHERE id = $1 AND user_id = $2")
            .bind(id)
            .bind(user_id)
            .execute(pool)
            .await?
            .rows_affected());
        Ok(deleted > 0)
    }

    pub async fn user_by_api_key_hash(&self, key_hash: &str) -> Result<Option<User>, StoreError> {
        let user = on_pool!(self, pool => sqlx::query_as::<_, User>(
            "SELECT u.* FROM user_account u JOIN user_api_key k ON k.user_id = u.id WHERE k.key_hash = $1"
        )
            .bind(key_hash)
            .fetch_optional(pool)
            .await?);
        Ok(user)
    }
}
