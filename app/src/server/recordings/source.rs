//! Where a platform keeps a finished recording, opened as a byte stream.

use futures_util::{StreamExt, TryStreamExt};
use object_store::path::Path as ObjectPath;

use super::storage::{s3_store, ByteStream};
use crate::server::jobs::JobFailure;
use crate::server::platforms::PlatformError;
use crate::server::settings::S3Location;
use crate::server::store::Recording;
use crate::server::AppState;
use crate::types::Platform;

/// The recording's bytes, and their length when the source says it.
pub struct Download {
    pub length: Option<u64>,
    pub bytes: ByteStream,
}

pub async fn open_download(state: &AppState, recording: &Recording) -> Result<Download, JobFailure> {
    match recording.platform {
        Some(Platform::Daily) => {
            let daily = state.platforms.daily().map_err(platform_failure)?;
            let link = daily
                .recording_download_link(&recording.id)
                .await
                .map_err(platform_failure)?;
            fetch_url(state, &link).await
        }
        Some(Platform::Whereby) => {
            let settings = &state.settings.whereby;
            match &settings.s3_bucket {
                // Whereby wrote it to the bucket we gave it.
                Some(bucket) if !recording.object_key.is_empty() => {
                    let location = S3Location {
                        bucket: bucket.clone(),
                        region: settings.s3_region.clone(),
                        endpoint: settings.s3_endpoint.clone(),
                        access_key_id: settings.s3_access_key_id.clone(),
                        secret_access_key: settings.s3_access_key_secret.clone(),
                    };
                    read_bucket(&location, &recording.object_key).await
                }
                // Whereby kept it on its own storage.
                _ => {
                    let whereby = state.platforms.whereby().map_err(platform_failure)?;
                    let link = whereby
                        .recording_download_link(&recording.id)
                        .await
                        .map_err(platform_failure)?;
                    fetch_url(state, &link).await
                }
            }
        }
        // JaaS's pre-authenticated link, from its signed webhook.
        Some(Platform::Jitsi) => fetch_url(state, &recording.object_key).await,
        other => Err(JobFailure::Permanent(format!(
            "recordings from {} cannot be fetched",
            other.map(Platform::label).unwrap_or("an unknown platform")
        ))),
    }
}

/// Opens `url` with the shared downloads client: it gives up on a source
/// that cannot be reached, or that sends nothing for the read timeout
/// (before its headers or in the middle of the body).
async fn fetch_url(state: &AppState, url: &str) -> Result<Download, JobFailure> {
    let limits = &state.settings.recordings;
    let (connect, read) = (limits.connect_timeout_seconds, limits.read_timeout_seconds);
    let response = state.downloads().get(url).send().await.map_err(|error| {
        JobFailure::Retry(if error.is_timeout() {
            format!("the recording's source did not answer within RECORDING_READ_TIMEOUT_SECONDS ({read} s)")
        } else if error.is_connect() {
            format!(
                "the recording's source could not be reached within RECORDING_CONNECT_TIMEOUT_SECONDS ({connect} s): {}",
                error.without_url()
            )
        } else {
            format!("download could not start: {}", error.without_url())
        })
    })?;
    let status = response.status();
    if !status.is_success() {
        let message = format!("download answered {status}");
        return Err(if status.is_server_error() || status.as_u16() == 429 {
            JobFailure::Retry(message)
        } else {
            JobFailure::Permanent(message)
        });
    }
    let length = response.content_length();
    let bytes = response
        .bytes_stream()
        .map_err(move |error| {
            if error.is_timeout() {
                format!(
                    "the recording's source stopped sending for RECORDING_READ_TIMEOUT_SECONDS ({read} s)"
                )
            } else {
                error.without_url().to_string()
            }
        })
        .boxed();
    Ok(Download { length, bytes })
}

pub(super) async fn read_bucket(location: &S3Location, key: &str) -> Result<Download, JobFailure> {
    let bucket = s3_store(location).map_err(JobFailure::Permanent)?;
    let got = bucket
        .get(&ObjectPath::from(key))
        .await
        .map_err(|error| match error {
            object_store::Error::NotFound { .. } => {
                JobFailure::Permanent(format!("{key} is not in bucket {}", location.bucket))
            }
            other => JobFailure::Retry(format!("bucket {}: {other}", location.bucket)),
        })?;
    Ok(Download {
        length: Some(got.meta.size),
        bytes: got.into_stream().map_err(|error| error.to_string()).boxed(),
    })
}

/// Missing credentials and refusals will not fix themselves; the rest may.
fn platform_failure(error: PlatformError) -> JobFailure {
    match &error {
        PlatformError::NotConfigured(_) | PlatformError::Unsupported(..) => {
            JobFailure::Permanent(error.to_string())
        }
        PlatformError::Upstream { status, .. } if *status < 500 && *status != 429 => {
            JobFailure::Permanent(error.to_string())
        }
        _ => JobFailure::Retry(error.to_string()),
    }
}
