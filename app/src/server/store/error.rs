/// Why a store operation failed, in terms the service layer can act on.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("not found")]
    NotFound,
    /// A uniqueness rule refused the write (e.g. a room name already taken).
    #[error("duplicate value violates {0}")]
    Duplicate(String),
    /// The database refused a value (CHECK or foreign key), or a stored value
    /// is not one the application knows.
    #[error("invalid value: {0}")]
    InvalidValue(String),
    #[error("database unavailable: {0}")]
    Unavailable(String),
    #[error("database error: {0}")]
    Database(String),
}

impl From<sqlx::Error> for StoreError {
    fn from(error: sqlx::Error) -> Self {
        match error {
            sqlx::Error::RowNotFound => StoreError::NotFound,
            sqlx::Error::ColumnDecode { index, source } => {
                StoreError::InvalidValue(format!("stored column {index}: {source}"))
            }
            sqlx::Error::Decode(source) => StoreError::InvalidValue(source.to_string()),
            sqlx::Error::Database(db) => {
                let constraint = db.constraint().unwrap_or_default().to_owned();
                if db.is_unique_violation() {
                    StoreError::Duplicate(if constraint.is_empty() {
                        db.message().to_owned()
                    } else {
                        constraint
                    })
                } else if db.is_check_violation() || db.is_foreign_key_violation() {
                    StoreError::InvalidValue(db.message().to_owned())
                } else {
                    StoreError::Database(db.message().to_owned())
                }
            }
            sqlx::Error::PoolTimedOut | sqlx::Error::PoolClosed | sqlx::Error::Io(_) => {
                StoreError::Unavailable(error.to_string())
            }
            other => StoreError::Database(other.to_string()),
        }
    }
}

impl From<sqlx::migrate::MigrateError> for StoreError {
    fn from(error: sqlx::migrate::MigrateError) -> Self {
        StoreError::Database(format!("migration failed: {error}"))
    }
}
