use std::io::BufRead;

use app::server::settings::Settings;
use app::server::store::Store;
use app::server::{services, AppState};

use crate::cli::{CreateUser, UserCommand};

pub async fn run(settings: Settings, command: UserCommand) -> Result<(), String> {
    match command {
        UserCommand::Create(CreateUser {
            email,
            password_stdin: _,
        }) => {
            let mut password = String::new();
            std::io::stdin()
                .lock()
                .read_line(&mut password)
                .map_err(|error| format!("cannot read the password from standard input: {error}"))?;
            let password = password.trim_end_matches(['\r', '\n']);
            let store = Store::connect(settings.database_url.expose())
                .await
                .map_err(|e| e.to_string())?;
            store.migrate().await.map_err(|e| e.to_string())?;
            let state = AppState::new(store.clone(), settings)?;
            let user = services::users::ensure_password_user(&state, &email, password)
                .await
                .map_err(|error| error.detail())?;
            println!("user {} ready (id {})", user.email, user.id);
            store.close().await;
            Ok(())
        }
    }
}
