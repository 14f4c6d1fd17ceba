use chrono::{DateTime, Utc};

use super::{on_pool, Store, StoreError};

impl Store {
    /// Takes the named lease for `holder` until `expires_at`, if it is free
    /// or its previous holder's time ran out. True when taken.
    pub async fn try_acquire_lease(
        &self,
        key: &str,
        holder: &str,
        now: DateTime<Utc>,
        expires_at: DateTime<Utc>,
    ) -> Result<bool, StoreError> {
        let _write = self.write_turn().await;
        let taken: Option<String> = on_pool!(self, pool => sqlx::query_scalar(
            "INSERT INTO lease (key, holder, expires_at) VALUES ($1, $2, $3)
             ON CONFLICT (key) DO UPDATE SET holder = excluded.holder, expires_at = excluded.expires_at
             WHERE lease.expires_at < $4
             RETURNING holder"
        )
            .bind(key)
            .bind(holder)
            .bind(expires_at)
            .bind(now)
            .fetch_optional(pool)
            .await?);
        Ok(taken.as_deref() == Some(holder))
    }

    pub async fn release_lease(&self, key: &str, holder: &str) -> Result<(), StoreError> {
        let _write = self.write_turn().await;
        on_pool!(self, pool => sqlx::query("DELETE FROM lease WHERE key = $1 AND holder = $2")
            .bind(key)
            .bind(holder)
            .execute(pool)
            .await
            .map(|_| ())?);
        Ok(())
    }

    /// Extends `holder`'s lease to `expires_at`; false when it is no longer theirs.
    pub async fn renew_lease(
        &self,
        key: &str,
        holder: &str,
        expires_at: DateTime<Utc>,
    ) -> Result<bool, StoreError> {
        let _write = self.write_turn().await;
        let changed = on_pool!(self, pool => sqlx::query("UPDATE lease SET expires_at = $3 WHERE key = $1 AND holder = $2")
            .bind(key)
            .bind(holder)
            .bind(expires_at)
            .execute(pool)
            .await?
            .rows_affected());
        Ok(changed > 0)
    }
}
