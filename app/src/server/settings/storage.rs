use std::path::{Path, PathBuf};

use super::env_reader::EnvReader;
use crate::server::secret::Secret;

/// Where our copies of recordings go.
#[derive(Debug, Clone)]
pub enum StorageTarget {
    /// A folder on this machine (`RECORDING_STORAGE_DIR`, default `DATA_DIR/recordings`).
    Local(PathBuf),
    S3(S3Location),
}

/// An S3 (or S3-compatible) bucket and the credentials to use it.
#[derive(Debug, Clone)]
pub struct S3Location {
    pub bucket: String,
    pub region: String,
    /// For S3-compatible stores (MinIO, Garage…); None means AWS.
    pub endpoint: Option<String>,
    pub access_key_id: Option<String>,
    pub secret_access_key: Option<Secret>,
}

#[derive(Debug, Clone)]
pub struct RecordingStorageSettings {
    /// `RECORDING_STORAGE`: `local` (default) or `s3` (`RECORDING_STORAGE_S3_*`).
    pub target: StorageTarget,
    /// `RECORDING_MAX_BYTES`: a larger download is refused (default 8 GiB).
    pub max_bytes: u64,
    /// `RECORDING_DOWNLOAD_TIMEOUT_SECONDS`: one download attempt's time
    /// limit, from asking for the recording to the last byte stored.
    pub download_timeout_seconds: u64,
    /// `RECORDING_CONNECT_TIMEOUT_SECONDS`: connecting to a recording's source.
    pub connect_timeout_seconds: u64,
    /// `RECORDING_READ_TIMEOUT_SECONDS`: a source that sends nothing (no
    /// headers, no bytes) for this long has stalled.
    pub read_timeout_seconds: u64,
}

impl RecordingStorageSettings {
    pub(super) fn read(env: &mut EnvReader<'_>, data_dir: &Path) -> Self {
        let target = match env.string("RECORDING_STORAGE", "local").as_str() {
            "s3" => match env.optional("RECORDING_STORAGE_S3_BUCKET") {
                Some(bucket) => StorageTarget::S3(S3Location {
                    bucket,
                    region: env.string("RECORDING_STORAGE_S3_REGION", "us-east-1"),
                    endpoint: env.optional("RECORDING_STORAGE_S3_ENDPOINT"),
                    access_key_id: env.optional("RECORDING_STORAGE_S3_ACCESS_KEY_ID"),
                    secret_access_key: env.secret("RECORDING_STORAGE_S3_SECRET_ACCESS_KEY"),
                }),
                None => {
                    env.problem("RECORDING_STORAGE=s3: also set RECORDING_STORAGE_S3_BUCKET".into());
                    StorageTarget::Local(data_dir.join("recordings"))
                }
            },
            "local" => StorageTarget::Local(
                env.optional("RECORDING_STORAGE_DIR")
                    .map(PathBuf::from)
                    .unwrap_or_else(|| data_dir.join("recordings")),
            ),
            other => {
                env.problem(format!("RECORDING_STORAGE: expected local or s3, got '{other}'"));
                StorageTarget::Local(data_dir.join("recordings"))
            }
        };
        RecordingStorageSettings {
            target,
            max_bytes: env.parsed("RECORDING_MAX_BYTES", 8u64 << 30).max(1),
            download_timeout_seconds: env.parsed("RECORDING_DOWNLOAD_TIMEOUT_SECONDS", 7200u64).max(1),
            connect_timeout_seconds: env
                .parsed("RECORDING_CONNECT_TIMEOUT_SECONDS", 10u64)
                .clamp(1, 600),
            read_timeout_seconds: env.parsed("RECORDING_READ_TIMEOUT_SECONDS", 60u64).clamp(1, 3600),
        }
    }
}
