use chrono::Utc;

use super::{on_pool, Store, StoreError};

impl Store {
    /// Records a consent answer. A signed-in user has one answer per meeting
    /// (a new one replaces it); anonymous answers are each kept.
    pub async fn record_consent(
        &self,
        meeting_id: &str,
        user_id: Option<&str>,
        given: bool,
    ) -> Result<String, StoreError> {
        let _write = self.write_turn().await;
        let now = Utc::now();
        let id = on_pool!(self, pool => {
            let mut tx = pool.begin().await?;
            let existing: Option<String> = match user_id {
                Some(user_id) => sqlx::query_scalar(
                    "SELECT id FROM meeting_consent WHERE meeting_id = $1 AND user_id = $2 ORDER BY consent_timestamp DESC LIMIT 1",
                )
                .bind(meeting_id)
                .bind(user_id)
                .fetch_optional(&mut *tx)
                .await?,
                None => None,
            };
            let id = match existing {
                Some(id) => {
                    sqlx::query("UPDATE meeting_consent SET consent_given = $2, consent_timestamp = $3 WHERE id = $1")
                        .bind(&id)
                        .bind(given)
                        .bind(now)
                        .execute(&mut *tx)
                        .await?;
                    id
                }
                None => {
                    let id = uuid::Uuid::new_v4().to_string();
                    sqlx::query(
                        "INSERT INTO meeting_consent (id, meeting_id, user_id, consent_given, consent_timestamp)
                         VALUES ($1, $2, $3, $4, $5)",
                    )
                    .bind(&id)
                    .bind(meeting_id)
                    .bind(user_id)
                    .bind(given)
                    .bind(now)
                    .execute(&mut *tx)
                    .await?;
                    id
                }
            };
            tx.commit().await?;
            id
        });
        Ok(id)
    }
}
