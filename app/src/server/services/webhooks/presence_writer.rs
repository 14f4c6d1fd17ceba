//! Participant joins and leaves arrive in bursts, many per second per
//! deployment. Each request hands its event to a writer task, which applies
//! whatever has queued up meanwhile in a single transaction and then answers
//! every request: no event is acknowledged before it is committed.
//!
//! SQLite takes one writer at a time, so it gets one lane; PostgreSQL gets
//! several, and a meeting's events always take the same lane, so lanes never
//! wait on each other's rows.

use std::collections::hash_map::DefaultHasher;
use std::hash::{Hash, Hasher};
use std::sync::OnceLock;

use tokio::sync::{mpsc, oneshot};

use crate::server::store::{Backend, DeliveredSession, Store, StoreError};

const MAX_BATCH: usize = 256;
const POSTGRES_LANES: usize = 4;

struct Pending {
    item: DeliveredSession,
    reply: oneshot::Sender<Result<bool, StoreError>>,
}

#[derive(Default)]
pub struct PresenceWriter {
    lanes: OnceLock<Vec<mpsc::Sender<Pending>>>,
}

impl PresenceWriter {
    /// Applies the event once per delivery; false for a redelivery.
    pub async fn write(&self, store: &Store, item: DeliveredSession) -> Result<bool, StoreError> {
        let lanes = self.lanes.get_or_init(|| {
            let count = match store.backend() {
                Backend::Sqlite => 1,
                Backend::Postgres => POSTGRES_LANES,
            };
            (0..count).map(|_| start(store.clone())).collect()
        });
        let mut hasher = DefaultHasher::new();
        item.meeting_id.hash(&mut hasher);
        let queue = &lanes[(hasher.finish() as usize) % lanes.len()];
        let (reply, answer) = oneshot::channel();
        let stopped = || StoreError::Unavailable("the presence writer stopped".into());
        queue.send(Pending { item, reply }).await.map_err(|_| stopped())?;
        answer.await.map_err(|_| stopped())?
    }
}

fn start(store: Store) -> mpsc::Sender<Pending> {
    let (sender, mut receiver) = mpsc::channel::<Pending>(4 * MAX_BATCH);
    tokio::spawn(async move {
        while let Some(first) = receiver.recv().await {
            let mut batch = vec![first];
            while batch.len() < MAX_BATCH {
                match receiver.try_recv() {
                    Ok(next) => batch.push(next),
                    Err(_) => break,
                }
            }
            apply(&store, batch).await;
        }
    });
    sender
}

async fn apply(store: &Store, batch: Vec<Pending>) {
    let items: Vec<DeliveredSession> = batch.iter().map(|pending| pending.item.clone()).collect();
    match store.record_delivered_sessions(&items).await {
        Ok(applied) => {
            for (pending, applied) in batch.into_iter().zip(applied) {
                let _ = pending.reply.send(Ok(applied));
            }
        }
        // One bad event must not sink its neighbours: retry them one by one.
        Err(error) if batch.len() > 1 => {
            tracing::warn!(%error, size = batch.len(), "presence batch failed; applying its events one by one");
            for pending in batch {
                let outcome = store
                    .record_delivered_sessions(std::slice::from_ref(&pending.item))
                    .await
                    .map(|applied| applied[0]);
                let _ = pending.reply.send(outcome);
            }
        }
        // A batch of one: its own error, kind kept (503 stays 503).
        Err(error) => {
            if let Some(pending) = batch.into_iter().next() {
                let _ = pending.reply.send(Err(error));
            }
        }
    }
}
