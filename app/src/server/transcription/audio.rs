//! Audio preparation with ffmpeg: a stored recording (any container and
//! codec ffmpeg reads) becomes 16 kHz mono WAV pieces, each under the
//! service's upload limit, with where each piece starts in the recording.

use std::path::{Path, PathBuf};
use std::time::Duration;

use futures_util::StreamExt;
use tokio::io::AsyncWriteExt;

use crate::server::recordings::RecordingStorage;

/// 16 kHz × 16-bit × mono.
pub const BYTES_PER_SECOND: u64 = 32_000;
const WAV_HEADER: u64 = 44;

/// A folder of our own for one transcription's files, removed when dropped
/// (also when the job is stopped or fails).
pub struct WorkDir(PathBuf);

impl WorkDir {
    pub fn new() -> std::io::Result<Self> {
        let path = std::env::temp_dir().join(format!("reflector-audio-{}", uuid::Uuid::new_v4().simple()));
        std::fs::create_dir_all(&path)?;
        Ok(WorkDir(path))
    }

    pub fn path(&self) -> &Path {
        &self.0
    }
}

impl Drop for WorkDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// One piece of audio to send, and where it starts in the recording.
#[derive(Debug, Clone, PartialEq)]
pub struct Piece {
    pub path: PathBuf,
    pub offset_seconds: f64,
}

/// Copies a stored object into `work` as `name` (ffmpeg reads files;
/// objects may be in S3).
pub async fn fetch(
    storage: &RecordingStorage,
    key: &str,
    work: &WorkDir,
    name: &str,
) -> Result<PathBuf, String> {
    let mut object = storage
        .read(key)
        .await
        .map_err(|e| format!("reading the recording: {e}"))?;
    let path = work.path().join(name);
    let mut file = tokio::fs::File::create(&path).await.map_err(|e| e.to_string())?;
    while let Some(chunk) = object.bytes.next().await {
        let chunk = chunk.map_err(|e| format!("reading the recording: {e}"))?;
        file.write_all(&chunk).await.map_err(|e| e.to_string())?;
    }
    file.flush().await.map_err(|e| e.to_string())?;
    Ok(path)
}

/// Runs ffmpeg quietly with `args`, within `time_limit`; it is killed if
/// the caller stops waiting. Its last complaint is the error.
pub async fn run_ffmpeg(args: &[std::ffi::OsString], time_limit: Duration) -> Result<(), String> {
    let child = tokio::process::Command::new("ffmpeg")
        .args(["-nostdin", "-hide_banner", "-loglevel", "error", "-y"])
        .args(args)
        .kill_on_drop(true)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .map_err(|e| format!("ffmpeg could not be started (is it installed?): {e}"))?;
    let output = tokio::time::timeout(time_limit, child.wait_with_output())
        .await
        .map_err(|_| format!("ffmpeg took longer than {} s", time_limit.as_secs()))?
        .map_err(|e| e.to_string())?;
    if !output.status.success() {
        let said = String::from_utf8_lossy(&output.stderr);
        return Err(format!(
            "ffmpeg could not read the audio: {}",
            said.trim().lines().last().unwrap_or("")
        ));
    }
    Ok(())
}

/// How many seconds of our WAV fit in `max_bytes`: ffmpeg cuts at the
/// first packet past the time asked, so a second is kept in hand.
pub fn piece_seconds(max_bytes: u64) -> u64 {
    (max_bytes.saturating_sub(WAV_HEADER + BYTES_PER_SECOND) / BYTES_PER_SECOND).max(1)
}

/// Seconds of samples in one of our WAV pieces (its `data` chunk's size).
fn wav_seconds(path: &Path) -> Result<f64, String> {
    use std::io::Read;
    let mut head = vec![0u8; 4096];
    let read = std::fs::File::open(path)
        .and_then(|mut file| file.read(&mut head))
        .map_err(|e| e.to_string())?;
    let head = &head[..read];
    let at = head
        .windows(4)
        .position(|window| window == b"data")
        .filter(|at| at + 8 <= head.len())
        .ok_or("ffmpeg wrote a WAV file without samples")?;
    let size = u32::from_le_bytes([head[at + 4], head[at + 5], head[at + 6], head[at + 7]]);
    Ok(f64::from(size) / BYTES_PER_SECOND as f64)
}

/// Decodes `input` to 16 kHz mono WAV pieces of at most `max_bytes`, in order.
/// ffmpeg gets `time_limit` for the whole file; it is killed if the job stops.
pub async fn prepare(
    input: &Path,
    work: &WorkDir,
    max_bytes: u64,
    time_limit: Duration,
) -> Result<Vec<Piece>, String> {
    let pattern = work.path().join("piece-%05d.wav");
    let mut args: Vec<std::ffi::OsString> = vec!["-i".into(), input.into()];
    args.extend(
        [
            "-vn",
            "-ac",
            "1",
            "-ar",
            "16000",
            "-c:a",
            "pcm_s16le",
            "-f",
            "segment",
            "-segment_time",
        ]
        .map(Into::into),
    );
    args.push(piece_seconds(max_bytes).to_string().into());
    args.push(pattern.into());
    run_ffmpeg(&args, time_limit).await?;
    let mut names: Vec<PathBuf> = std::fs::read_dir(work.path())
        .map_err(|e| e.to_string())?
        .filter_map(|entry| entry.ok().map(|entry| entry.path()))
        .filter(|path| {
            path.file_name()
                .is_some_and(|name| name.to_string_lossy().starts_with("piece-"))
        })
        .collect();
    names.sort();
    // Each piece starts where the ones before it end, counted in samples.
    let mut offset = 0.0;
    let mut pieces = Vec::with_capacity(names.len());
    for path in names {
        let seconds = wav_seconds(&path)?;
        pieces.push(Piece {
            path,
            offset_seconds: offset,
        });
        offset += seconds;
    }
    Ok(pieces)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pieces_fit_the_upload_limit() {
        // OpenAI's 25 MB: 13 minutes of 16 kHz mono.
        assert_eq!(piece_seconds(25_000_000), 780);
        assert!((piece_seconds(25_000_000) + 1) * BYTES_PER_SECOND + WAV_HEADER < 25_000_000);
        assert_eq!(piece_seconds(10), 1);
    }
}
