//! Writes that belong together, on either backend. A [`Tx`] commits only when
//! asked; dropped unfinished (a request cut off, an error, a cancelled task)
//! it rolls back, so a half-made change never becomes visible. On SQLite it
//! also holds the process's writer turn until it ends.

use sqlx::{Postgres, Sqlite, Transaction};
use tokio::sync::OwnedMutexGuard;

use super::{DbPool, Store, StoreError};

pub(crate) struct Tx {
    // Declared first so it drops (rolls back) before the writer turn is freed.
    pub(crate) conn: TxConn,
    _writer_turn: Option<OwnedMutexGuard<()>>,
}

pub(crate) enum TxConn {
    Sqlite(Transaction<'static, Sqlite>),
    Postgres(Transaction<'static, Postgres>),
}

/// Runs `$body` with `$conn` bound to the transaction's connection of the
/// backend in use (`&mut **$conn` is what sqlx executes on).
macro_rules! on_tx {
    ($tx:expr, $conn:ident => $body:expr) => {
        match &mut $tx.conn {
            $crate::server::store::tx::TxConn::Sqlite($conn) => $body,
            $crate::server::store::tx::TxConn::Postgres($conn) => $body,
        }
    };
}
pub(crate) use on_tx;

impl Store {
    /// Starts a transaction that will write.
    pub(crate) async fn begin_write(&self) -> Result<Tx, StoreError> {
        let (conn, turn) = match &self.pool {
            DbPool::Sqlite(pool) => {
                let turn = self.sqlite_writer.clone().lock_owned().await;
                (TxConn::Sqlite(pool.begin().await?), Some(turn))
            }
            DbPool::Postgres(pool) => (TxConn::Postgres(pool.begin().await?), None),
        };
        Ok(Tx {
            conn,
            _writer_turn: turn,
        })
    }
}

impl Tx {
    pub(crate) async fn commit(self) -> Result<(), StoreError> {
        match self.conn {
            TxConn::Sqlite(tx) => tx.commit().await?,
            TxConn::Postgres(tx) => tx.commit().await?,
        }
        Ok(())
    }
}
