mod auth_context;
mod site_header;

pub use auth_context::{provide_auth_context, AuthContext};
pub use site_header::SiteHeader;
