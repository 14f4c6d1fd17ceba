use leptos::server_fn::codec::JsonEncoding;
use leptos::server_fn::error::{FromServerFnError, ServerFnErrorErr};
use serde::{Deserialize, Serialize};

/// Stable codes of refusals a client acts on (rather than reading the
/// sentence, which may change). The REST API sends them as `code` beside
/// `detail`.
pub mod error_codes {
    /// Another room already has this name.
    pub const ROOM_NAME_TAKEN: &str = "room_name_taken";
    /// Daily does not see the call yet: the recording can be started a
    /// moment later.
    pub const CALL_NOT_STARTED: &str = "call_not_started";
    pub const ROOM_NOT_FOUND: &str = "room_not_found";
    pub const MEETING_NOT_FOUND: &str = "meeting_not_found";
    /// The meeting is past its end.
    pub const MEETING_ENDED: &str = "meeting_ended";
    /// Someone ended the meeting.
    pub const MEETING_NOT_ACTIVE: &str = "meeting_not_active";
}

/// A failed server call as the browser sees it: the HTTP status the REST API
/// would have answered (also the response's own status), its `detail`
/// sentence and, for refusals a client acts on, a stable `code`. `status` is
/// 0 when the server could not be reached or its answer could not be read.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
#[error("{detail}")]
pub struct ApiError {
    pub status: u16,
    pub detail: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub code: Option<String>,
}

impl ApiError {
    pub fn has_code(&self, code: &str) -> bool {
        self.code.as_deref() == Some(code)
    }
}

impl FromServerFnError for ApiError {
    type Encoder = JsonEncoding;

    fn from_server_fn_error(error: ServerFnErrorErr) -> Self {
        let (status, detail) = if cfg!(feature = "ssr") {
            refusal_on_the_server(error)
        } else {
            match error {
                ServerFnErrorErr::Request(_) => (
                    0,
                    "Could not reach the server. Check your connection and try again.".into(),
                ),
                other => (0, other.to_string()),
            }
        };
        ApiError {
            status,
            detail,
            code: None,
        }
    }
}

/// On the server these errors come from reading the call itself: a body or
/// arguments that do not fit are the caller's mistake, the rest ours.
fn refusal_on_the_server(error: ServerFnErrorErr) -> (u16, String) {
    match error {
        ServerFnErrorErr::Args(reason) => (422, format!("The call's arguments do not fit: {reason}")),
        ServerFnErrorErr::MissingArg(name) => (422, format!("The call lacks the argument {name}")),
        ServerFnErrorErr::Deserialization(reason) => (400, format!("The call could not be read: {reason}")),
        ServerFnErrorErr::UnsupportedRequestMethod(method) => {
            (405, format!("Method {method} is not allowed"))
        }
        _ => (500, "Internal server error".into()),
    }
}

#[cfg(feature = "ssr")]
impl From<crate::server::AppError> for ApiError {
    fn from(error: crate::server::AppError) -> Self {
        ApiError {
            status: error.status().as_u16(),
            detail: error.detail(),
            code: error.code().map(str::to_owned),
        }
    }
}
