//! `reflector`: the Reflector Rooms server process, as a library so that the
//! integration tests in `tests/` drive the same router and commands the
//! binary runs. `main.rs` only calls [`run`].
// Leptos view types nest deeply; release builds need room to compute their layout.
#![recursion_limit = "256"]

pub mod api;
#[cfg(feature = "bench")]
mod bench;
mod body_limit;
pub mod browser_sdks;
pub mod cli;
mod daily_webhook_command;
mod logging;
pub mod router;
pub mod serve;
mod server_fns;
pub mod shutdown;
mod user_command;
pub mod workers;

use std::process::ExitCode;

use app::server::settings::Settings;
use app::server::store::Store;
use clap::Parser;

use crate::cli::{Cli, Command};

/// Parses the command line, reads the settings and runs the command.
pub async fn run() -> ExitCode {
    let cli = Cli::parse();
    logging::init();
    let settings = match Settings::from_process_env() {
        Ok(settings) => settings,
        Err(error) => {
            eprintln!("reflector: {error}");
            return ExitCode::from(2);
        }
    };
    let outcome = match cli.command.unwrap_or(Command::Serve) {
        Command::Serve => serve::run(settings).await,
        Command::Migrate => migrate(&settings).await,
        Command::Worker => workers::run_worker_process(settings).await,
        Command::Jobs(args) => workers::list_jobs(settings, args.status, args.limit).await,
        Command::User(command) => user_command::run(settings, command).await,
        #[cfg(feature = "bench")]
        Command::Bench(args) => bench::run(args).await,
        Command::DailyWebhook(command) => daily_webhook_command::run(settings, command).await,
    };
    match outcome {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("reflector: {error}");
            ExitCode::FAILURE
        }
    }
}

async fn migrate(settings: &Settings) -> Result<(), String> {
    let store = Store::connect(settings.database_url.expose())
        .await
        .map_err(|e| e.to_string())?;
    store.migrate().await.map_err(|e| e.to_string())?;
    println!("{} database is up to date", store.backend().name());
    store.close().await;
    Ok(())
}
