use leptos::prelude::*;

use crate::api::{current_user, Login, Logout};
use crate::types::{ApiError, Me};

/// The signed-in user and the actions that change it, shared by every page.
#[derive(Clone, Copy)]
pub struct AuthContext {
    pub login: ServerAction<Login>,
    pub logout: ServerAction<Logout>,
    pub me: Resource<Result<Option<Me>, ApiError>>,
}

pub fn provide_auth_context() -> AuthContext {
    let login = ServerAction::<Login>::new();
    let logout = ServerAction::<Logout>::new();
    let me = Resource::new(
        move || (login.version().get(), logout.version().get()),
        |_| current_user(),
    );
    let context = AuthContext { login, logout, me };
    provide_context(context);
    context
}
