use crate::server::AppError;
use crate::types::Platform;

/// What went wrong talking to a platform.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum PlatformError {
    /// Credentials are missing: the message says which settings to set.
    #[error("{0}")]
    NotConfigured(String),
    /// The platform answered with an error status.
    #[error("{} answered {status}: {message}", .platform.label())]
    Upstream {
        platform: Platform,
        status: u16,
        kind: Option<String>,
        message: String,
    },
    #[error("{} did not answer in time", .0.label())]
    Timeout(Platform),
    #[error("{platform} could not be reached: {reason}", platform = .0.label(), reason = .1)]
    Unreachable(Platform, String),
    #[error("{platform} sent an answer we could not read: {reason}", platform = .0.label(), reason = .1)]
    BadResponse(Platform, String),
    #[error("{platform} does not support {what}", platform = .0.label(), what = .1)]
    Unsupported(Platform, &'static str),
}

impl PlatformError {
    pub fn platform_status(&self) -> Option<u16> {
        match self {
            PlatformError::Upstream { status, .. } => Some(*status),
            _ => None,
        }
    }
}

impl From<PlatformError> for AppError {
    fn from(error: PlatformError) -> Self {
        match error {
            PlatformError::NotConfigured(message) => AppError::Unavailable(message),
            PlatformError::Unsupported(..) => AppError::BadRequest(error.to_string()),
            other => {
                tracing::warn!(error = %other, "platform call failed");
                AppError::BadGateway(other.to_string())
            }
        }
    }
}
