use tracing_subscriber::EnvFilter;

/// Log lines to stderr, filtered by `RUST_LOG` (default: info, quieter sqlx).
pub fn init() {
    let filter = EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info,sqlx=warn"));
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .try_init();
}
