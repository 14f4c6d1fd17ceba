use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::Serialize;

use super::store::StoreError;

/// An error as a client sees it: a status and a `detail` sentence.
/// Services return it; REST handlers and server functions pass it on.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AppError {
    #[error("{0}")]
    BadRequest(String),
    #[error("{0}")]
    Unauthorized(String),
    #[error("{0}")]
    Forbidden(String),
    #[error("{0}")]
    NotFound(String),
    /// The target is not in a state that allows this (yet).
    #[error("{0}")]
    Conflict(String),
    #[error("{0}")]
    Unprocessable(String),
    #[error("{0}")]
    TooManyRequests(String),
    /// The request body is larger than this server accepts.
    #[error("{0}")]
    TooLarge(String),
    /// A platform or other upstream answered badly.
    #[error("{0}")]
    BadGateway(String),
    /// Something we depend on is not configured or not reachable right now.
    #[error("{0}")]
    Unavailable(String),
    /// Our own fault; the detail shown is generic, the cause goes to the log.
    #[error("Internal server error")]
    Internal,
    /// Any of the above with a stable code (`types::error_codes`) that
    /// clients act on instead of reading the sentence.
    #[error("{error}")]
    Coded {
        code: &'static str,
        error: Box<AppError>,
    },
}

/// Every REST error answer: a sentence, and for refusals a client acts on,
/// a stable code.
#[derive(Serialize, utoipa::ToSchema)]
pub struct ErrorBody {
    /// What went wrong, in words.
    pub detail: String,
    /// A stable code, for the refusals a client acts on (`room_name_taken`, …).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub code: Option<String>,
}

impl AppError {
    pub fn status(&self) -> StatusCode {
        match self {
            AppError::BadRequest(_) => StatusCode::BAD_REQUEST,
            AppError::Unauthorized(_) => StatusCode::UNAUTHORIZED,
            AppError::Forbidden(_) => StatusCode::FORBIDDEN,
            AppError::NotFound(_) => StatusCode::NOT_FOUND,
            AppError::Conflict(_) => StatusCode::CONFLICT,
            AppError::Unprocessable(_) => StatusCode::UNPROCESSABLE_ENTITY,
            AppError::TooManyRequests(_) => StatusCode::TOO_MANY_REQUESTS,
            AppError::TooLarge(_) => StatusCode::PAYLOAD_TOO_LARGE,
            AppError::BadGateway(_) => StatusCode::BAD_GATEWAY,
            AppError::Unavailable(_) => StatusCode::SERVICE_UNAVAILABLE,
            AppError::Internal => StatusCode::INTERNAL_SERVER_ERROR,
            AppError::Coded { error, .. } => error.status(),
        }
    }

    /// The stable code of this refusal, when it has one.
    pub fn code(&self) -> Option<&'static str> {
        match self {
            AppError::Coded { code, .. } => Some(code),
            _ => None,
        }
    }

    pub fn with_code(self, code: &'static str) -> Self {
        AppError::Coded {
            code,
            error: Box::new(self),
        }
    }

    pub fn detail(&self) -> String {
        self.to_string()
    }

    /// Logs the cause of an internal failure and hides it from the client.
    pub fn internal(cause: impl std::fmt::Display) -> Self {
        tracing::error!(%cause, "internal error");
        AppError::Internal
    }
}

impl From<StoreError> for AppError {
    fn from(error: StoreError) -> Self {
        match error {
            StoreError::NotFound => AppError::NotFound("Not found".into()),
            StoreError::Unavailable(cause) => {
                tracing::error!(%cause, "database unavailable");
                AppError::Unavailable("The database is unavailable, please try again".into())
            }
            other => AppError::internal(other),
        }
    }
}

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        let body = ErrorBody {
            detail: self.detail(),
            code: self.code().map(str::to_owned),
        };
        (self.status(), axum::Json(body)).into_response()
    }
}
