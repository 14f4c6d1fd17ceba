//! Who is calling: credentials (login cookie, bearer token, API key) turned
//! into a [`Caller`], the same way for REST handlers and server functions.

pub mod api_keys;
mod caller;
pub mod cookie;
mod extract;
pub mod idp;
mod keys;
pub mod password;
pub mod rate_limit;
pub mod tokens;

pub use caller::{authenticate, refuse_cross_site, Caller};
pub use extract::{authenticate_request, identify_visitor, ClientKey, SignedIn};
pub use keys::AuthKeys;
