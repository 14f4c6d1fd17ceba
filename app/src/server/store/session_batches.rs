//! Many webhook deliveries of participant joins and leaves, applied in one
//! transaction: the commit and the participant recount are paid once per
//! batch instead of once per event.

use std::collections::BTreeSet;

use chrono::{DateTime, Utc};

use super::sessions::{CLAIM_DELIVERY, RECOUNT_OPEN_SESSIONS, UPSERT_SESSION};
use super::{on_pool, Store, StoreError};

/// A join or leave from a platform webhook, with the delivery it came in.
#[derive(Debug, Clone, PartialEq)]
pub struct DeliveredSession {
    pub meeting_id: String,
    pub room_id: String,
    pub session_id: String,
    pub user_id: Option<String>,
    pub user_name: Option<String>,
    pub joined_at: DateTime<Utc>,
    pub left_at: Option<DateTime<Utc>>,
    pub source: &'static str,
    pub event_id: String,
    pub event_type: String,
}

impl Store {
    /// Applies the batch in one transaction; answers, per item, whether it
    /// was new (false: a redelivery, not applied again).
    pub async fn record_delivered_sessions(
        &self,
        batch: &[DeliveredSession],
    ) -> Result<Vec<bool>, StoreError> {
        let _write = self.write_turn().await;
        let received_at = Utc::now();
        let applied = on_pool!(self, pool => {
            let mut tx = pool.begin().await?;
            let mut applied = Vec::with_capacity(batch.len());
            let mut touched = BTreeSet::new();
            for item in batch {
                let claimed = sqlx::query(CLAIM_DELIVERY)
                    .bind(item.source)
                    .bind(&item.event_id)
                    .bind(&item.event_type)
                    .bind(received_at)
                    .execute(&mut *tx)
                    .await?
                    .rows_affected()
                    > 0;
                if claimed {
                    sqlx::query(UPSERT_SESSION)
                        .bind(format!("{}:{}", item.meeting_id, item.session_id))
                        .bind(&item.meeting_id)
                        .bind(&item.room_id)
                        .bind(&item.session_id)
                        .bind(&item.user_id)
                        .bind(&item.user_name)
                        .bind(item.joined_at)
                        .bind(item.left_at)
                        .execute(&mut *tx)
                        .await?;
                    touched.insert(item.meeting_id.as_str());
                }
                applied.push(claimed);
            }
            // In id order, so concurrent batches lock meetings in one order.
            for meeting_id in touched {
                sqlx::query(RECOUNT_OPEN_SESSIONS).bind(meeting_id).execute(&mut *tx).await?;
            }
            tx.commit().await?;
            applied
        });
        Ok(applied)
    }
}
