use leptos::server_fn::codec::JsonEncoding;
use leptos::server_fn::error::{FromServerFnError, ServerFnErrorErr};
use serde::{Deserialize, Serialize};

/// A failed server call as the browser sees it: the HTTP status the REST API
/// would have answered and its `detail` sentence. `status` is 0 when the
/// server could not be reached or its answer could not be read.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
#[error("{detail}")]
pub struct ApiError {
    pub status: u16,
    pub detail: String,
}

impl FromServerFnError for ApiError {
    type Encoder = JsonEncoding;

    fn from_server_fn_error(error: ServerFnErrorErr) -> Self {
        let detail = match error {
            ServerFnErrorErr::Request(_) => {
                "Could not reach the server. Check your connection and try again.".into()
            }
            other => other.to_string(),
        };
        ApiError { status: 0, detail }
    }
}

#[cfg(feature = "ssr")]
impl From<crate::server::AppError> for ApiError {
    fn from(error: crate::server::AppError) -> Self {
        ApiError {
            status: error.status().as_u16(),
            detail: error.detail(),
        }
    }
}
