//! Our recording storage: a local folder by default, S3 when configured,
//! both through `object_store`. Uploads are multipart, so an object appears
//! under its key only once it is whole, and an upload that does not complete
//! is aborted, so storage keeps no orphaned parts.

use std::path::PathBuf;
use std::sync::Arc;

use bytes::Bytes;
use futures_util::stream::BoxStream;
use futures_util::stream::FuturesUnordered;
use futures_util::{StreamExt, TryStreamExt};
use object_store::aws::AmazonS3Builder;
use object_store::local::LocalFileSystem;
use object_store::path::Path as ObjectPath;
use object_store::{MultipartUpload, ObjectStore, PutPayload, PutPayloadMut, UploadPart};
use sha2::{Digest, Sha256};

use crate::server::settings::{S3Location, StorageTarget};
use crate::server::store::StoredCopy;

/// A stream of bytes from somewhere, with its errors already explained.
pub type ByteStream = BoxStream<'static, Result<Bytes, String>>;

const PART_SIZE: usize = 8 << 20;

#[derive(Debug, thiserror::Error)]
pub enum CopyError {
    #[error("the recording is larger than RECORDING_MAX_BYTES ({limit} bytes)")]
    TooLarge { limit: u64 },
    #[error("reading the recording failed: {0}")]
    Source(String),
    #[error("writing to recording storage failed: {0}")]
    Storage(String),
}

#[derive(Clone)]
pub struct RecordingStorage {
    objects: Arc<dyn ObjectStore>,
    /// The folder, for local storage: its interrupted uploads are ours to sweep.
    local_root: Option<PathBuf>,
}

/// An object read back from storage.
pub struct StoredObject {
    pub size: u64,
    pub bytes: ByteStream,
}

impl RecordingStorage {
    pub fn open(target: &StorageTarget) -> Result<Self, String> {
        match target {
            StorageTarget::Local(dir) => {
                std::fs::create_dir_all(dir)
                    .map_err(|error| format!("RECORDING_STORAGE_DIR {}: {error}", dir.display()))?;
                let local = LocalFileSystem::new_with_prefix(dir)
                    .map_err(|error| format!("RECORDING_STORAGE_DIR {}: {error}", dir.display()))?;
                Ok(RecordingStorage {
                    objects: Arc::new(local),
                    local_root: Some(dir.clone()),
                })
            }
            StorageTarget::S3(location) => Ok(RecordingStorage {
                objects: s3_store(location)?,
                local_root: None,
            }),
        }
    }

    /// Streams `source` into `key`, counting and hashing as it goes. Nothing
    /// is left under `key`, nor as an unfinished upload, unless the copy
    /// completed: on any failure, and when this future is dropped (a
    /// deadline, a lost lease, a shutdown), the upload is aborted.
    pub async fn copy_in(
        &self,
        key: &str,
        mut source: ByteStream,
        max_bytes: u64,
    ) -> Result<StoredCopy, CopyError> {
        self.sweep_interrupted_uploads(key);
        let path = ObjectPath::from(key);
        let started = self
            .objects
            .put_multipart(&path)
            .await
            .map_err(|error| CopyError::Storage(error.to_string()))?;
        let mut upload = Upload::new(started);
        let mut part = PutPayloadMut::new();
        let mut hasher = Sha256::new();
        let mut size: u64 = 0;
        while let Some(chunk) = source.next().await {
            let chunk = chunk.map_err(CopyError::Source)?;
            size += chunk.len() as u64;
            if size > max_bytes {
                return Err(CopyError::TooLarge { limit: max_bytes });
            }
            hasher.update(&chunk);
            part.push(chunk);
            if part.content_length() >= PART_SIZE {
                upload.put(std::mem::take(&mut part).freeze()).await?;
            }
        }
        if part.content_length() > 0 {
            upload.put(part.freeze()).await?;
        }
        upload.complete().await?;
        Ok(StoredCopy {
            storage_key: key.to_owned(),
            size_bytes: size as i64,
            sha256: hex::encode(hasher.finalize()),
        })
    }

    pub async fn read(&self, key: &str) -> Result<StoredObject, String> {
        let got = self
            .objects
            .get(&ObjectPath::from(key))
            .await
            .map_err(|error| error.to_string())?;
        Ok(StoredObject {
            size: got.meta.size,
            bytes: got.into_stream().map_err(|error| error.to_string()).boxed(),
        })
    }

    /// The object's size, to answer byte-range requests.
    pub async fn size(&self, key: &str) -> Result<u64, String> {
        let meta = self
            .objects
            .head(&ObjectPath::from(key))
            .await
            .map_err(|error| error.to_string())?;
        Ok(meta.size)
    }

    /// Bytes `range` (end excluded) of the object.
    pub async fn read_range(&self, key: &str, range: std::ops::Range<u64>) -> Result<StoredObject, String> {
        let options = object_store::GetOptions {
            range: Some(object_store::GetRange::Bounded(range.clone())),
            ..Default::default()
        };
        let got = self
            .objects
            .get_opts(&ObjectPath::from(key), options)
            .await
            .map_err(|error| error.to_string())?;
        Ok(StoredObject {
            size: range.end - range.start,
            bytes: got.into_stream().map_err(|error| error.to_string()).boxed(),
        })
    }

    /// Removes a stored object; one that is already gone is fine.
    pub async fn delete(&self, key: &str) -> Result<(), String> {
        match self.objects.delete(&ObjectPath::from(key)).await {
            Ok(()) | Err(object_store::Error::NotFound { .. }) => Ok(()),
            Err(error) => Err(format!("recording storage: {error}")),
        }
    }

    /// A process killed mid-upload leaves its staging file (`<key>#<n>`)
    /// behind in a local folder; the retry removes it.
    fn sweep_interrupted_uploads(&self, key: &str) {
        let Some(root) = &self.local_root else { return };
        let target = root.join(key);
        let (Some(dir), Some(name)) = (target.parent(), target.file_name()) else {
            return;
        };
        let prefix = format!("{}#", name.to_string_lossy());
        let Ok(entries) = std::fs::read_dir(dir) else {
            return;
        };
        for entry in entries.flatten() {
            if entry.file_name().to_string_lossy().starts_with(&prefix) {
                let _ = std::fs::remove_file(entry.path());
            }
        }
    }
}

/// A multipart upload that is aborted unless it completes.
struct Upload {
    /// Taken when the upload completed.
    target: Option<Box<dyn MultipartUpload>>,
    in_flight: FuturesUnordered<UploadPart>,
}

/// Parts uploaded at once.
const PARTS_IN_FLIGHT: usize = 2;

impl Upload {
    fn new(target: Box<dyn MultipartUpload>) -> Self {
        Upload {
            target: Some(target),
            in_flight: FuturesUnordered::new(),
        }
    }

    async fn put(&mut self, part: PutPayload) -> Result<(), CopyError> {
        while self.in_flight.len() >= PARTS_IN_FLIGHT {
            self.next_part_done().await?;
        }
        if let Some(target) = self.target.as_mut() {
            self.in_flight.push(target.put_part(part));
        }
        Ok(())
    }

    async fn next_part_done(&mut self) -> Result<(), CopyError> {
        match self.in_flight.next().await {
            Some(done) => done.map_err(|error| CopyError::Storage(error.to_string())),
            None => Ok(()),
        }
    }

    async fn complete(mut self) -> Result<(), CopyError> {
        while !self.in_flight.is_empty() {
            self.next_part_done().await?;
        }
        let Some(target) = self.target.as_mut() else {
            return Ok(());
        };
        target
            .complete()
            .await
            .map_err(|error| CopyError::Storage(error.to_string()))?;
        self.target = None;
        Ok(())
    }
}

impl Drop for Upload {
    fn drop(&mut self) {
        let Some(mut target) = self.target.take() else {
            return;
        };
        self.in_flight.clear();
        // Drop cannot wait; the abort runs on its own and is logged.
        if let Ok(runtime) = tokio::runtime::Handle::try_current() {
            runtime.spawn(async move {
                if let Err(error) = target.abort().await {
                    tracing::warn!(%error, "could not abort an unfinished recording upload");
                }
            });
        }
    }
}

/// An S3 bucket as an object store (also used to read Whereby's bucket).
pub fn s3_store(location: &S3Location) -> Result<Arc<dyn ObjectStore>, String> {
    let mut builder = AmazonS3Builder::new()
        .with_bucket_name(&location.bucket)
        .with_region(&location.region);
    if let Some(endpoint) = &location.endpoint {
        builder = builder
            .with_endpoint(endpoint)
            .with_allow_http(endpoint.starts_with("http://"))
            .with_virtual_hosted_style_request(false);
    }
    if let (Some(key_id), Some(secret)) = (&location.access_key_id, &location.secret_access_key) {
        builder = builder
            .with_access_key_id(key_id)
            .with_secret_access_key(secret.expose());
    }
    let store = builder
        .build()
        .map_err(|error| format!("S3 bucket {}: {error}", location.bucket))?;
    Ok(Arc::new(store))
}
