use clap::{Parser, Subcommand};

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
}
