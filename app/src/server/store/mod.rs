//! The store: every SQL statement of the application lives below this module.
//!
//! One `Store` serves SQLite and PostgreSQL. Each query is written once, with
//! `$n` placeholders both databases accept; [`on_pool!`] expands it for the
//! pool in use, so both backends stay monomorphic and use their native types.

mod api_keys;
mod calendar;
mod connect;
mod consents;
mod deliveries;
mod error;
mod history;
mod jobs;
mod leases;
mod meetings;
mod recordings;
mod retention;
mod room_events;
mod room_webhooks;
mod rooms;
mod search_terms;
mod sessions;
#[cfg(any(test, feature = "testing"))]
pub mod testing;
mod transcripts;
mod tx;
mod users;

use sqlx::{PgPool, SqlitePool};

pub use calendar::{FeedValidators, FoundInstance, StoredEvent, SyncChanges};
pub use deliveries::{DeliveredSession, Delivery, DeliveryEffect};
pub use error::StoreError;
pub use history::Visit;
pub use jobs::{AfterFailure, JobRow, JobStatus, NewJob};
pub use meetings::LiveTotals;
pub use recordings::{AnnouncedRecording, Recording, StoredCopy, StoredTrack};
pub use retention::{PruneBefore, Pruned};
pub use room_webhooks::{AfterAttempt, AttemptOutcome, PendingDelivery};
pub use search_terms::{SearchTerms, Term};
pub use sessions::{OpenSession, SessionEvent};
pub use transcripts::{FoundTranscript, Reader, RecordingsOf, Transcribed};
pub use users::User;

/// Which database a store talks to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

impl Backend {
    pub const fn name(self) -> &'static str {
        match self {
            Backend::Sqlite => "SQLite",
            Backend::Postgres => "PostgreSQL",
        }
    }
}

#[derive(Clone)]
pub struct Store {
    pool: DbPool,
    /// SQLite takes one writer at a time; queueing writers here instead of in
    /// SQLite's busy handler (which sleeps in steps of milliseconds) keeps
    /// write latency flat under load.
    sqlite_writer: std::sync::Arc<tokio::sync::Mutex<()>>,
}

#[derive(Clone)]
enum DbPool {
    Sqlite(SqlitePool),
    Postgres(PgPool),
}

/// Runs `$body` with `$pool` bound to the concrete pool of `$store`.
macro_rules! on_pool {
    ($store:expr, $pool:ident => $body:expr) => {
        match &$store.pool {
            $crate::server::store::DbPool::Sqlite($pool) => $body,
            $crate::server::store::DbPool::Postgres($pool) => $body,
        }
    };
}
pub(crate) use on_pool;

impl Store {
    /// Held for the duration of a write on SQLite; nothing on PostgreSQL.
    pub(crate) async fn write_turn(&self) -> Option<tokio::sync::MutexGuard<'_, ()>> {
        match self.pool {
            DbPool::Sqlite(_) => Some(self.sqlite_writer.lock().await),
            DbPool::Postgres(_) => None,
        }
    }

    pub fn backend(&self) -> Backend {
        match self.pool {
            DbPool::Sqlite(_) => Backend::Sqlite,
            DbPool::Postgres(_) => Backend::Postgres,
        }
    }

    /// Applies the migrations this build carries that the database lacks.
    pub async fn migrate(&self) -> Result<(), StoreError> {
        match &self.pool {
            DbPool::Sqlite(pool) => sqlx::migrate!("../migrations/sqlite").run(pool).await?,
            DbPool::Postgres(pool) => sqlx::migrate!("../migrations/postgres").run(pool).await?,
        }
        Ok(())
    }

    pub async fn ping(&self) -> Result<(), StoreError> {
        on_pool!(self, pool => sqlx::query("SELECT 1").execute(pool).await.map(|_| ())?);
        Ok(())
    }

    pub async fn close(&self) {
        on_pool!(self, pool => pool.close().await)
    }
}
