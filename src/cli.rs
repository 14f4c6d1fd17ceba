use clap::{Args, Parser, Subcommand};

/// Reflector Rooms: self-hostable meeting rooms over Whereby and Daily.co.
///
/// Configuration comes from the environment and an optional `.env` file;
/// see env.example for every variable.
#[derive(Debug, Parser)]
#[command(name = "reflector", version)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Migrate the database and serve the web app and the API (the default).
    Serve,
    /// Apply pending database migrations, then exit.
    Migrate,
    /// Run only the background workers (recordings, meeting lifecycle), for
    /// deployments that keep them apart from the web servers (RUN_WORKERS=false there).
    Worker,
    /// List the newest background jobs, to see what failed and why.
    Jobs(JobsArgs),
    /// Manage password accounts.
    #[command(subcommand)]
    User(UserCommand),
    /// Manage the Daily.co webhook that feeds this server.
    #[command(subcommand)]
    DailyWebhook(DailyWebhookCommand),
    /// Measure get-or-create and join throughput and latency against an
    /// in-process server on loopback, using the mock platform (built with
    /// `--features bench`, as `scripts/bench` does).
    #[cfg(feature = "bench")]
    Bench(BenchArgs),
}

#[cfg(feature = "bench")]
#[derive(Debug, Args)]
pub struct BenchArgs {
    /// Requests per scenario.
    #[arg(long, default_value_t = 20_000)]
    pub requests: usize,
    /// Requests in flight at once.
    #[arg(long, default_value_t = 64)]
    pub concurrency: usize,
    /// Database to use; default: a fresh SQLite file in a temporary folder.
    #[arg(long)]
    pub database_url: Option<String>,
    /// An OpenAI-compatible transcription service for the transcription line
    /// (scripts/bench starts the local Whisper server when installed);
    /// default: one on loopback that answers at once (our overhead alone).
    #[arg(long)]
    pub transcription_url: Option<String>,
}

#[derive(Debug, Subcommand)]
pub enum UserCommand {
    /// Create a password account, or set the password of an existing one.
    Create(CreateUser),
}

#[derive(Debug, Args)]
pub struct CreateUser {
    /// The account's e-mail address (its login name).
    #[arg(long)]
    pub email: String,
    /// Read the password from the first line of standard input (so it never
    /// shows in the process list or shell history).
    #[arg(long, required = true)]
    pub password_stdin: bool,
}

#[derive(Debug, Subcommand)]
pub enum DailyWebhookCommand {
    /// Create or update the Daily webhook so it posts to
    /// `<public-base-url>/v1/daily/webhook`, signed with DAILY_WEBHOOK_SECRET,
    /// for every event type this server handles.
    Ensure {
        /// The address Daily reaches this server at, e.g. https://rooms.example.com
        public_base_url: String,
    },
}

#[derive(Debug, Args)]
pub struct JobsArgs {
    /// Only jobs in this status: queued, running, completed or failed.
    #[arg(long)]
    pub status: Option<app::server::store::JobStatus>,
    /// How many jobs to list.
    #[arg(long, default_value_t = 50)]
    pub limit: i64,
}
