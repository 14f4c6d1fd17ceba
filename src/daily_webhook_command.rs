use std::time::Duration;

use app::server::platforms::DailyClient;
use app::server::settings::Settings;

use crate::cli::DailyWebhookCommand;

pub async fn run(settings: Settings, command: DailyWebhookCommand) -> Result<(), String> {
    match command {
        DailyWebhookCommand::Ensure { public_base_url } => {
            let base = public_base_url.trim_end_matches('/');
            if !(base.starts_with("https://") || base.starts_with("http://")) {
                return Err(format!("'{public_base_url}' is not an http(s) URL"));
            }
            let url = format!("{base}/v1/daily/webhook");
            let timeout = Duration::from_secs(settings.platform_timeout_seconds.max(30));
            let client = DailyClient::from_settings(&settings.daily, timeout).map_err(|e| e.to_string())?;
            let hook = client.ensure_webhook(&url).await.map_err(|e| e.to_string())?;
            println!(
                "Daily webhook {} posts to {} ({}), events: {}",
                hook.uuid,
                hook.url,
                hook.state.as_deref().unwrap_or("state unknown"),
                hook.event_types.join(", ")
            );
            Ok(())
        }
    }
}
