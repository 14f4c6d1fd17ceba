//! `reflector`: the Reflector Rooms server process (see `lib.rs`).

#[tokio::main]
async fn main() -> std::process::ExitCode {
    reflector::run().await
}
