//! Fresh, migrated stores for tests: a temporary SQLite file, and a new
//! database on the PostgreSQL server named by `TEST_POSTGRES_URL`.
//!
//! PostgreSQL tests never pass silently: without `TEST_POSTGRES_URL` they fail
//! unless `SKIP_POSTGRES_TESTS=1` says so explicitly.

use super::Store;

pub const POSTGRES_URL_VAR: &str = "TEST_POSTGRES_URL";
pub const SKIP_POSTGRES_VAR: &str = "SKIP_POSTGRES_TESTS";

pub async fn sqlite_store() -> Store {
    let dir = std::env::temp_dir().join(format!("reflector-test-{}", uuid::Uuid::new_v4().simple()));
    let url = format!("sqlite://{}", dir.join("test.db").display());
    let store = Store::connect(&url).await.expect("open test SQLite database");
    store.migrate().await.expect("migrate test SQLite database");
    store
}

/// A URL for a brand-new, empty PostgreSQL database, or `None` when the
/// PostgreSQL tests are explicitly skipped.
pub async fn fresh_postgres_url() -> Option<String> {
    let admin_url = match std::env::var(POSTGRES_URL_VAR) {
        Ok(url) if !url.is_empty() => url,
        _ if std::env::var(SKIP_POSTGRES_VAR).as_deref() == Ok("1") => return None,
        _ => panic!(
            "{POSTGRES_URL_VAR} is not set: the PostgreSQL half of the store tests needs a server \
             (scripts/test starts one), or set {SKIP_POSTGRES_VAR}=1 to skip it deliberately"
        ),
    };
    let name = format!("reflector_test_{}", uuid::Uuid::new_v4().simple());
    let admin = sqlx::PgPool::connect(&admin_url)
        .await
        .expect("connect to TEST_POSTGRES_URL");
    sqlx::query(sqlx::AssertSqlSafe(format!("CREATE DATABASE \"{name}\"")))
        .execute(&admin)
        .await
        .expect("create test database");
    admin.close().await;
    let (server, _) = admin_url.split_once('?').unwrap_or((&admin_url, ""));
    let (server, _) = server
        .rsplit_once('/')
        .expect("TEST_POSTGRES_URL has a database path");
    Some(format!("{server}/{name}"))
}

pub async fn postgres_store() -> Option<Store> {
    Some(postgres_store_with_url().await?.0)
}

/// A fresh, migrated PostgreSQL store and its URL (for tests that open more
/// connections to the same database: other processes, lock holders).
pub async fn postgres_store_with_url() -> Option<(Store, String)> {
    let url = fresh_postgres_url().await?;
    let store = Store::connect(&url).await.expect("open test PostgreSQL database");
    store.migrate().await.expect("migrate test PostgreSQL database");
    Some((store, url))
}

/// One fresh store per backend this test run covers.
pub async fn every_backend() -> Vec<Store> {
    let mut stores = vec![sqlite_store().await];
    stores.extend(postgres_store().await);
    stores
}

/// URLs of one fresh, migrated database per backend, for tests that open
/// several stores (processes) on the same database.
pub async fn every_backend_url() -> Vec<String> {
    let dir = std::env::temp_dir().join(format!("reflector-test-{}", uuid::Uuid::new_v4().simple()));
    let mut urls = vec![format!("sqlite://{}", dir.join("test.db").display())];
    urls.extend(fresh_postgres_url().await);
    for url in &urls {
        let store = Store::connect(url).await.expect("open test database");
        store.migrate().await.expect("migrate test database");
        store.close().await;
    }
    urls
}

/// Runs raw statements in order on one connection, bypassing the store's
/// typed API: tests use it to attempt writes the application never makes.
pub async fn execute_raw(store: &Store, statements: &[&'static str]) -> Result<(), super::StoreError> {
    super::on_pool!(store, pool => {
        let mut connection = pool.acquire().await?;
        for statement in statements {
            sqlx::query(*statement).execute(&mut *connection).await?;
        }
    });
    Ok(())
}
