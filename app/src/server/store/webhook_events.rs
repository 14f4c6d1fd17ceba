use chrono::Utc;

use super::{on_pool, Store, StoreError};

impl Store {
    /// Records that the delivery `event_id` from `source` is being applied.
    /// False when it was seen before (a redelivery).
    pub async fn claim_webhook_event(
        &self,
        source: &str,
        event_id: &str,
        event_type: &str,
    ) -> Result<bool, StoreError> {
        let _write = self.write_turn().await;
        let inserted = on_pool!(self, pool => sqlx::query(
            "INSERT INTO webhook_event (source, event_id, event_type, received_at) VALUES ($1, $2, $3, $4)
             ON CONFLICT (source, event_id) DO NOTHING"
        )
            .bind(source)
            .bind(event_id)
            .bind(event_type)
            .bind(Utc::now())
            .execute(pool)
            .await?
            .rows_affected());
        Ok(inserted > 0)
    }

    /// Forgets a claimed delivery whose effects could not be applied, so the
    /// platform's retry is applied rather than skipped.
    pub async fn release_webhook_event(&self, source: &str, event_id: &str) -> Result<(), StoreError> {
        let _write = self.write_turn().await;
        on_pool!(self, pool => sqlx::query("DELETE FROM webhook_event WHERE source = $1 AND event_id = $2")
            .bind(source)
            .bind(event_id)
            .execute(pool)
            .await
            .map(|_| ())?);
        Ok(())
    }
}
