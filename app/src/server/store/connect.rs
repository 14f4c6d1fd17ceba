use std::str::FromStr;
use std::time::Duration;

use sqlx::postgres::PgPoolOptions;
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};

use super::{DbPool, Store, StoreError};
use crate::server::settings::redact_url_password;

const ACQUIRE_TIMEOUT: Duration = Duration::from_secs(10);

impl Store {
    /// Opens `database_url` (`sqlite:…` or `postgres://…`). A SQLite file and
    /// its folder are created when missing; the file runs in WAL mode.
    pub async fn connect(database_url: &str) -> Result<Store, StoreError> {
        let pool = if database_url.starts_with("sqlite:") {
            DbPool::Sqlite(connect_sqlite(database_url).await?)
        } else if database_url.starts_with("postgres://") || database_url.starts_with("postgresql://") {
            DbPool::Postgres(connect_postgres(database_url).await?)
        } else {
            return Err(StoreError::Unavailable(format!(
                "unsupported DATABASE_URL '{}': use sqlite:… or postgres://…",
                redact_url_password(database_url)
            )));
        };
        Ok(Store {
            pool,
            sqlite_writer: Default::default(),
        })
    }
}

async fn connect_sqlite(url: &str) -> Result<sqlx::SqlitePool, StoreError> {
    let options = SqliteConnectOptions::from_str(url)
        .map_err(|error| StoreError::Unavailable(format!("DATABASE_URL: {error}")))?
        .create_if_missing(true)
        .journal_mode(SqliteJournalMode::Wal)
        .synchronous(SqliteSynchronous::Normal)
        .foreign_keys(true)
        .busy_timeout(Duration::from_secs(10));
    let path = options.get_filename().to_path_buf();
    if let Some(folder) = path.parent().filter(|folder| !folder.as_os_str().is_empty()) {
        std::fs::create_dir_all(folder).map_err(|error| {
            StoreError::Unavailable(format!(
                "cannot create database folder {}: {error}",
                folder.display()
            ))
        })?;
    }
    SqlitePoolOptions::new()
        .max_connections(8)
        .acquire_timeout(ACQUIRE_TIMEOUT)
        .connect_with(options)
        .await
        .map_err(|error| {
            StoreError::Unavailable(format!("cannot open SQLite database {}: {error}", path.display()))
        })
}

async fn connect_postgres(url: &str) -> Result<sqlx::PgPool, StoreError> {
    PgPoolOptions::new()
        .max_connections(16)
        .acquire_timeout(ACQUIRE_TIMEOUT)
        .connect(url)
        .await
        .map_err(|error| {
            StoreError::Unavailable(format!("cannot connect to {}: {error}", redact_url_password(url)))
        })
}
