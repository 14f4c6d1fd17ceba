//! The server's configuration: one typed struct read from the environment
//! (and an optional `.env`), documented variable by variable in `env.example`.

mod auth;
mod env_reader;
mod jitsi;
mod jobs;
mod livekit;
mod retention;
mod room_webhooks;
mod secret_key;
mod storage;
mod transcription;

use std::net::SocketAddr;
use std::path::PathBuf;

use crate::server::secret::Secret;
use crate::types::Platform;
pub use auth::{AuthBackend, AuthSettings};
use env_reader::EnvReader;
pub use jitsi::JitsiSettings;
pub use jobs::JobSettings;
pub use livekit::LiveKitSettings;
pub use retention::RetentionSettings;
pub use room_webhooks::RoomWebhookSettings;
pub use storage::{RecordingStorageSettings, S3Location, StorageTarget};
pub use transcription::{TranscriptionBackend, TranscriptionSettings};

pub const DEFAULT_SITE_ADDR: &str = "127.0.0.1:3000";
pub const DAILY_API_URL: &str = "https://api.daily.co/v1";
pub const WHEREBY_API_URL: &str = "https://api.whereby.dev/v1";

#[derive(Debug, Clone)]
pub struct Settings {
    /// `LEPTOS_SITE_ADDR`: where the HTTP server listens.
    pub site_addr: SocketAddr,
    /// `BASE_URL`: the public address participants and platforms reach us at.
    pub base_url: String,
    /// `DATA_DIR`: the SQLite file, the generated secret key and stored recordings.
    pub data_dir: PathBuf,
    /// `DATABASE_URL`: `sqlite:…` (default, under `DATA_DIR`) or `postgres://…`.
    /// A `Secret`, since it may carry a password.
    pub database_url: Secret,
    /// `SECRET_KEY`: signs tokens and keys API-key hashes. Generated into
    /// `DATA_DIR/secret_key` on first start when not set.
    pub secret_key: Secret,
    /// `PUBLIC_MODE`: when true, anonymous visitors may list shared rooms.
    pub public_mode: bool,
    pub auth: AuthSettings,
    /// `DEFAULT_VIDEO_PLATFORM`: the platform of rooms created without one.
    pub default_video_platform: Platform,
    /// `ENABLE_MOCK_PLATFORM`: offer the in-process fake platform (tests, local development).
    pub mock_platform_enabled: bool,
    /// `PLATFORM_TIMEOUT_SECONDS`: how long a platform API call may take.
    pub platform_timeout_seconds: u64,
    /// `FALLBACK_VIDEO_PLATFORMS`: where meetings go, in order, when the
    /// room's platform is unavailable (comma-separated; none by default).
    pub fallback_video_platforms: Vec<Platform>,
    /// `PLATFORM_FAILURE_COOLDOWN_SECONDS`: how long a platform that failed
    /// is skipped before it is tried again (default 30).
    pub platform_failure_cooldown_seconds: u64,
    /// `MEETING_CREATION_LEASE_SECONDS`: the term of the lease that keeps a
    /// room's meeting creation to one process at a time; renewed while the
    /// creation runs, it lapses this long after its holder died.
    pub meeting_lease_seconds: u64,
    /// `MAX_REQUEST_BYTES`: the largest request body accepted (413 beyond).
    pub max_request_bytes: usize,
    /// `ALLOW_PRIVATE_NETWORK_URLS`: let users' URLs (calendars, webhooks)
    /// reach this machine and private networks (on-premises setups, tests).
    pub allow_private_network_urls: bool,
    /// `TRUSTED_PROXIES`: addresses or networks of reverse proxies whose
    /// `X-Forwarded-For` names the real client (for per-client limits).
    pub trusted_proxies: Vec<ipnet::IpNet>,
    /// `ROOM_LOGO_PATH`: an image uploaded as the room logo where the platform supports it.
    pub room_logo_path: Option<PathBuf>,
    /// `BROWSER_SDK_DIR`: the `node_modules` folder `npm ci` filled with the
    /// platforms' browser SDKs, which the server hands to the room page.
    pub browser_sdk_dir: PathBuf,
    pub daily: DailySettings,
    pub whereby: WherebySettings,
    pub jitsi: JitsiSettings,
    /// `LIVEKIT_*`: unset, no LiveKit rooms.
    pub livekit: Option<LiveKitSettings>,
    pub jobs: JobSettings,
    pub recordings: RecordingStorageSettings,
    pub retention: RetentionSettings,
    pub room_webhooks: RoomWebhookSettings,
    pub transcription: TranscriptionSettings,
}

#[derive(Debug, Clone)]
pub struct DailySettings {
    pub api_key: Option<Secret>,
    pub api_url: String,
    pub webhook_secret: Option<Secret>,
    pub subdomain: Option<String>,
    /// `AWS_DAILY_S3_BUCKET`: the bucket Daily writes raw-tracks recordings
    /// to (given to Daily with `AWS_DAILY_ROLE_ARN`); we read the tracks
    /// from it with `AWS_DAILY_ACCESS_KEY_ID`/`_SECRET` (or the machine's
    /// own AWS role when those are unset).
    pub s3_bucket: Option<String>,
    pub s3_region: String,
    pub role_arn: Option<String>,
    pub s3_access_key_id: Option<String>,
    pub s3_access_key_secret: Option<Secret>,
    /// `AWS_DAILY_S3_ENDPOINT`: for an S3-compatible store instead of AWS.
    pub s3_endpoint: Option<String>,
    pub migration_enabled: bool,
    pub migration_room_ids: Vec<String>,
}

impl DailySettings {
    /// Where raw-tracks recordings are read from, when configured.
    pub fn raw_tracks_bucket(&self) -> Option<S3Location> {
        Some(S3Location {
            bucket: self.s3_bucket.clone()?,
            region: self.s3_region.clone(),
            endpoint: self.s3_endpoint.clone(),
            access_key_id: self.s3_access_key_id.clone(),
            secret_access_key: self.s3_access_key_secret.clone(),
        })
    }
}

#[derive(Debug, Clone)]
pub struct WherebySettings {
    pub api_key: Option<Secret>,
    pub api_url: String,
    pub webhook_secret: Option<Secret>,
    /// `AWS_WHEREBY_S3_*`: the bucket Whereby writes cloud recordings to. Without
    /// it, cloud recordings stay on Whereby's own storage.
    pub s3_bucket: Option<String>,
    pub s3_region: String,
    pub s3_access_key_id: Option<String>,
    pub s3_access_key_secret: Option<Secret>,
    /// `AWS_WHEREBY_S3_ENDPOINT`: for an S3-compatible store instead of AWS.
    pub s3_endpoint: Option<String>,
}

/// Startup refused: every line names a variable and what is wrong with it.
#[derive(Debug, thiserror::Error)]
#[error("invalid configuration:\n  {}", .problems.join("\n  "))]
pub struct SettingsError {
    pub problems: Vec<String>,
}

impl Settings {
    /// Reads the process environment, after loading `.env` if there is one.
    pub fn from_process_env() -> Result<Self, SettingsError> {
        if let Err(error) = dotenvy::dotenv() {
            if !error.not_found() {
                return Err(SettingsError {
                    problems: vec![format!(".env: {error}")],
                });
            }
        }
        Self::from_lookup(&|name| std::env::var(name).ok())
    }

    /// Reads settings from any variable lookup (tests pass a map).
    pub fn from_lookup(lookup: &dyn Fn(&str) -> Option<String>) -> Result<Self, SettingsError> {
        let mut env = EnvReader::new(lookup);
        let site_addr = env.parsed(
            "LEPTOS_SITE_ADDR",
            DEFAULT_SITE_ADDR.parse().expect("valid default"),
        );
        let data_dir = PathBuf::from(env.string("DATA_DIR", "data"));
        let browser_sdk_dir = PathBuf::from(env.string("BROWSER_SDK_DIR", "node_modules"));
        let database_url = env
            .optional("DATABASE_URL")
            .unwrap_or_else(|| format!("sqlite://{}", data_dir.join("reflector.db").display()));
        if !is_supported_database_url(&database_url) {
            env.problem(format!(
                "DATABASE_URL: expected a sqlite:… or postgres://… URL, got '{}'",
                redact_url_password(&database_url)
            ));
        }
        let base_url = env
            .optional("BASE_URL")
            .unwrap_or_else(|| format!("http://{site_addr}"))
            .trim_end_matches('/')
            .to_owned();
        let secret_key = match env.secret("SECRET_KEY") {
            Some(key) if key.expose().len() < secret_key::MIN_LEN => {
                env.problem(format!(
                    "SECRET_KEY: must be at least {} characters",
                    secret_key::MIN_LEN
                ));
                None
            }
            other => other,
        };
        let public_mode = env.flag("PUBLIC_MODE", false);
        let auth = AuthSettings::read(&mut env);
        let default_video_platform = env.parsed("DEFAULT_VIDEO_PLATFORM", Platform::Whereby);
        let daily = DailySettings {
            api_key: env.secret("DAILY_API_KEY"),
            api_url: env
                .string("DAILY_API_URL", DAILY_API_URL)
                .trim_end_matches('/')
                .to_owned(),
            webhook_secret: env.secret("DAILY_WEBHOOK_SECRET"),
            subdomain: env.optional("DAILY_SUBDOMAIN"),
            s3_bucket: env.optional("AWS_DAILY_S3_BUCKET"),
            s3_region: env.string("AWS_DAILY_S3_REGION", "us-west-2"),
            role_arn: env.optional("AWS_DAILY_ROLE_ARN"),
            s3_access_key_id: env.optional("AWS_DAILY_ACCESS_KEY_ID"),
            s3_access_key_secret: env.secret("AWS_DAILY_ACCESS_KEY_SECRET"),
            s3_endpoint: env.optional("AWS_DAILY_S3_ENDPOINT"),
            migration_enabled: env.flag("DAILY_MIGRATION_ENABLED", false),
            migration_room_ids: env.list("DAILY_MIGRATION_ROOM_IDS"),
        };
        let whereby = WherebySettings {
            api_key: env.secret("WHEREBY_API_KEY"),
            api_url: env
                .string("WHEREBY_API_URL", WHEREBY_API_URL)
                .trim_end_matches('/')
                .to_owned(),
            webhook_secret: env.secret("WHEREBY_WEBHOOK_SECRET"),
            s3_bucket: env.optional("AWS_WHEREBY_S3_BUCKET"),
            s3_region: env.string("AWS_WHEREBY_S3_REGION", "us-east-1"),
            s3_access_key_id: env.optional("AWS_WHEREBY_ACCESS_KEY_ID"),
            s3_access_key_secret: env.secret("AWS_WHEREBY_ACCESS_KEY_SECRET"),
            s3_endpoint: env.optional("AWS_WHEREBY_S3_ENDPOINT"),
        };
        if whereby.s3_bucket.is_some()
            && (whereby.s3_access_key_id.is_none() || whereby.s3_access_key_secret.is_none())
        {
            env.problem(
                "AWS_WHEREBY_S3_BUCKET: also set AWS_WHEREBY_ACCESS_KEY_ID and AWS_WHEREBY_ACCESS_KEY_SECRET"
                    .into(),
            );
        }
        let jitsi = JitsiSettings::read(&mut env);
        let livekit = LiveKitSettings::read(&mut env);
        let mock_platform_enabled = env.flag("ENABLE_MOCK_PLATFORM", false);
        if default_video_platform == Platform::Mock && !mock_platform_enabled {
            env.problem("DEFAULT_VIDEO_PLATFORM: 'mock' needs ENABLE_MOCK_PLATFORM=true".into());
        }
        let room_logo_path = env.optional("ROOM_LOGO_PATH").map(PathBuf::from);
        let platform_timeout_seconds = env.parsed("PLATFORM_TIMEOUT_SECONDS", 10u64).clamp(1, 120);
        let mut fallback_video_platforms = Vec::new();
        for name in env.list("FALLBACK_VIDEO_PLATFORMS") {
            match name.parse::<Platform>() {
                Ok(platform) if !fallback_video_platforms.contains(&platform) => {
                    fallback_video_platforms.push(platform)
                }
                Ok(_) => {}
                Err(_) => env.problem(format!(
                    "FALLBACK_VIDEO_PLATFORMS: '{name}' is not a platform (whereby, daily, livekit, jitsi)"
                )),
            }
        }
        let platform_failure_cooldown_seconds =
            env.parsed("PLATFORM_FAILURE_COOLDOWN_SECONDS", 30u64).min(3600);
        let meeting_lease_seconds = env.parsed("MEETING_CREATION_LEASE_SECONDS", 15u64).clamp(1, 600);
        let max_request_bytes = env.parsed("MAX_REQUEST_BYTES", 1usize << 20).clamp(1024, 1 << 30);
        let trusted_proxies = trusted_proxies(&mut env);
        let allow_private_network_urls = env.flag("ALLOW_PRIVATE_NETWORK_URLS", false);
        let retention = RetentionSettings::read(&mut env);
        let room_webhooks = RoomWebhookSettings::read(&mut env);
        let transcription = TranscriptionSettings::read(&mut env);
        let jobs = JobSettings::read(&mut env);
        let recordings = RecordingStorageSettings::read(&mut env, &data_dir);

        let problems = env.finish();
        if !problems.is_empty() {
            return Err(SettingsError { problems });
        }
        let secret_key = match secret_key {
            Some(key) => key,
            None => secret_key::load_or_create(&data_dir).map_err(|error| SettingsError {
                problems: vec![format!("SECRET_KEY: not set, and {error}")],
            })?,
        };
        Ok(Settings {
            site_addr,
            base_url,
            data_dir,
            database_url: Secret::new(database_url),
            secret_key,
            public_mode,
            auth,
            default_video_platform,
            mock_platform_enabled,
            platform_timeout_seconds,
            fallback_video_platforms,
            platform_failure_cooldown_seconds,
            meeting_lease_seconds,
            max_request_bytes,
            trusted_proxies,
            allow_private_network_urls,
            room_logo_path,
            browser_sdk_dir,
            daily,
            whereby,
            jitsi,
            livekit,
            jobs,
            recordings,
            retention,
            room_webhooks,
            transcription,
        })
    }
}

/// `TRUSTED_PROXIES`: each entry an address (`10.0.0.5`) or a network (`10.0.0.0/8`).
fn trusted_proxies(env: &mut EnvReader<'_>) -> Vec<ipnet::IpNet> {
    let mut proxies = Vec::new();
    for entry in env.list("TRUSTED_PROXIES") {
        let parsed = entry
            .parse::<ipnet::IpNet>()
            .or_else(|_| entry.parse::<std::net::IpAddr>().map(ipnet::IpNet::from));
        match parsed {
            Ok(network) => proxies.push(network),
            Err(_) => env.problem(format!(
                "TRUSTED_PROXIES: '{entry}' is neither an IP address nor a network like 10.0.0.0/8"
            )),
        }
    }
    proxies
}

fn is_supported_database_url(url: &str) -> bool {
    url.starts_with("sqlite:") || url.starts_with("postgres://") || url.starts_with("postgresql://")
}

/// `postgres://user:pass@host/db` → `postgres://user:***@host/db`, for messages and logs.
pub fn redact_url_password(url: &str) -> String {
    let Some((scheme, rest)) = url.split_once("://") else {
        return url.to_owned();
    };
    let Some((credentials, host)) = rest.rsplit_once('@') else {
        return url.to_owned();
    };
    match credentials.split_once(':') {
        Some((user, _)) => format!("{scheme}://{user}:***@{host}"),
        None => url.to_owned(),
    }
}

#[cfg(test)]
mod tests;
