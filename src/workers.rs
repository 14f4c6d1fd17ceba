//! The background workers inside `reflector serve`, and `reflector worker`
//! (workers only), and `reflector jobs` (what the queue holds).

use std::time::Duration;

use app::server::jobs::run_workers;
use app::server::settings::Settings;
use app::server::store::{JobStatus, Store};
use app::server::AppState;
use tokio::sync::watch;
use tokio::task::JoinHandle;

/// Running workers and the switch that stops them.
pub struct Workers {
    stop: watch::Sender<bool>,
    tasks: Vec<JoinHandle<()>>,
}

impl Workers {
    pub fn start(state: &AppState) -> Self {
        let (stop, stopped) = watch::channel(false);
        let tasks = run_workers(state, stopped);
        tracing::info!(
            concurrency = state.settings.jobs.concurrency,
            "background workers running"
        );
        Workers { stop, tasks }
    }

    /// Asks every worker to hand its job back and waits (briefly) for them.
    pub async fn stop(self) {
        let _ = self.stop.send(true);
        for task in self.tasks {
            if tokio::time::timeout(Duration::from_secs(10), task).await.is_err() {
                tracing::warn!("a worker did not stop in time");
            }
        }
    }
}

/// `reflector worker`: migrate, then run workers until a shutdown signal.
pub async fn run_worker_process(settings: Settings) -> Result<(), String> {
    let store = Store::connect(settings.database_url.expose())
        .await
        .map_err(|e| e.to_string())?;
    store.migrate().await.map_err(|e| e.to_string())?;
    let state = AppState::new(store.clone(), settings)?;
    let workers = Workers::start(&state);
    crate::shutdown::signal().await;
    workers.stop().await;
    store.close().await;
    Ok(())
}

/// `reflector jobs [--status S]`: the newest jobs, one line each.
pub async fn list_jobs(settings: Settings, status: Option<JobStatus>, limit: i64) -> Result<(), String> {
    let store = Store::connect(settings.database_url.expose())
        .await
        .map_err(|e| e.to_string())?;
    store.migrate().await.map_err(|e| e.to_string())?;
    let jobs = store.list_jobs(status, limit).await.map_err(|e| e.to_string())?;
    println!(
        "{:<36}  {:<25}  {:<9}  {:>8}  last error",
        "id", "kind", "status", "attempts"
    );
    for job in &jobs {
        println!(
            "{:<36}  {:<25}  {:<9}  {:>3} of {:<2}  {}",
            job.id,
            job.kind,
            job.status.as_str(),
            job.attempts,
            job.max_attempts,
            job.last_error.as_deref().unwrap_or("")
        );
    }
    store.close().await;
    Ok(())
}
