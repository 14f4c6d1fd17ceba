use std::net::SocketAddr;
use std::time::Instant;

use app::server::settings::{redact_url_password, Settings};
use app::server::store::Store;
use app::server::{services, AppState};
use leptos::config::get_configuration;

use crate::router::build_router;

/// Migrates the database, then serves until a shutdown signal.
pub async fn run(settings: Settings) -> Result<(), String> {
    let started = Instant::now();
    let store = Store::connect(settings.database_url.expose())
        .await
        .map_err(|e| e.to_string())?;
    store.migrate().await.map_err(|e| e.to_string())?;
    tracing::info!(
        database = %redact_url_password(settings.database_url.expose()),
        backend = store.backend().name(),
        "database ready"
    );

    let mut leptos_options = get_configuration(None).map_err(|e| e.to_string())?.leptos_options;
    leptos_options.site_addr = settings.site_addr;
    if leptos_options.output_name.is_empty() {
        leptos_options.output_name = "reflector".into();
    }
    let addr = settings.site_addr;
    let state = AppState::new(store.clone(), settings)?;
    if let Some(admin) = services::users::bootstrap_admin(&state)
        .await
        .map_err(|e| format!("ADMIN_EMAIL: {e}"))?
    {
        tracing::info!(email = %admin.email, "admin account ready");
    }
    let workers = state
        .settings
        .jobs
        .run_in_server
        .then(|| crate::workers::Workers::start(&state));
    let router = build_router(state, leptos_options);

    let listener = tokio::net::TcpListener::bind(addr)
        .await
        .map_err(|error| format!("cannot listen on {addr} (LEPTOS_SITE_ADDR): {error}"))?;
    tracing::info!(
        "listening on http://{} (ready in {} ms)",
        listener.local_addr().map_err(|e| e.to_string())?,
        started.elapsed().as_millis()
    );
    axum::serve(
        listener,
        router.into_make_service_with_connect_info::<SocketAddr>(),
    )
    .with_graceful_shutdown(crate::shutdown::signal())
    .await
    .map_err(|error| format!("server error: {error}"))?;
    if let Some(workers) = workers {
        workers.stop().await;
    }
    store.close().await;
    Ok(())
}
