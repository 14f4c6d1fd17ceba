//! A real transcription, offline: espeak-ng speaks two known sentences, a
//! real OpenAI-compatible server (`scripts/whisper-server`: faster-whisper
//! with the Whisper tiny model on the CPU) runs on loopback, and the
//! recording goes through the whole pipeline (storage, ffmpeg, the HTTP
//! client, the job queue) into a transcript that search then finds.
//!
//! Needs espeak-ng, ffmpeg and the Python helpers `scripts/install-tools
//! --test` installs; without them it fails unless `SKIP_WHISPER_TESTS=1`.

use std::process::Stdio;
use std::time::Duration;

use app::server::store::testing::every_backend;
use app::types::TranscriptStatus;
use axum::http::StatusCode;
use tokio::io::{AsyncBufReadExt, BufReader};

use crate::transcripts::recorded;

const FIRST: &str = "The quarterly budget is approved.";
const SECOND: &str = "We ship the new release on Friday.";

struct WhisperServer {
    _child: tokio::process::Child,
    url: String,
}

async fn start_whisper() -> Option<WhisperServer> {
    let python = concat!(env!("CARGO_MANIFEST_DIR"), "/.tools/venv/bin/python");
    let script = concat!(env!("CARGO_MANIFEST_DIR"), "/scripts/whisper-server");
    let ready = std::path::Path::new(python).exists() && which("espeak-ng") && which("ffmpeg");
    if !ready {
        assert_eq!(
            std::env::var("SKIP_WHISPER_TESTS").as_deref(),
            Ok("1"),
            "the Whisper test needs espeak-ng, ffmpeg and .tools/venv (scripts/install-tools --test), \
             or SKIP_WHISPER_TESTS=1 to skip it deliberately"
        );
        return None;
    }
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let mut child = tokio::process::Command::new(python)
        .arg(script)
        .arg(port.to_string())
        .stdout(Stdio::piped())
        .kill_on_drop(true)
        .spawn()
        .expect("start scripts/whisper-server");
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let line = tokio::time::timeout(Duration::from_secs(60), lines.next_line())
        .await
        .expect("the Whisper server starts within a minute")
        .unwrap()
        .unwrap_or_default();
    assert!(line.starts_with("listening"), "{line}");
    Some(WhisperServer {
        _child: child,
        url: format!("http://127.0.0.1:{port}"),
    })
}

fn which(program: &str) -> bool {
    std::process::Command::new("sh")
        .args(["-c", &format!("command -v {program}")])
        .stdout(Stdio::null())
        .status()
        .is_ok_and(|status| status.success())
}

/// The two sentences, spoken one after the other with a pause, as one WAV.
async fn spoken() -> Vec<u8> {
    let dir = tempfile::tempdir().unwrap();
    for (name, text) in [("first", FIRST), ("second", SECOND)] {
        let status = tokio::process::Command::new("espeak-ng")
            .args(["-v", "en", "-w"])
            .arg(dir.path().join(format!("{name}.wav")))
            .arg(text)
            .status()
            .await
            .unwrap();
        assert!(status.success());
    }
    let output = tokio::process::Command::new("ffmpeg")
        .args(["-nostdin", "-loglevel", "error", "-i"])
        .arg(dir.path().join("first.wav"))
        .args(["-f", "lavfi", "-t", "1", "-i", "anullsrc=r=22050:cl=mono", "-i"])
        .arg(dir.path().join("second.wav"))
        .args([
            "-filter_complex",
            "[0:a][1:a][2:a]concat=n=3:v=0:a=1",
            "-f",
            "wav",
            "pipe:1",
        ])
        .output()
        .await
        .unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    output.stdout
}

fn words(text: &str) -> Vec<String> {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn spoken_sentences_become_a_searchable_transcript_word_for_word() {
    let Some(whisper) = start_whisper().await else {
        return;
    };
    let audio = spoken().await;
    for store in every_backend().await {
        let settings = [
            ("TRANSCRIPTION_BACKEND", "openai"),
            ("TRANSCRIPTION_URL", whisper.url.as_str()),
            ("TRANSCRIPTION_MODEL", "tiny"),
            ("TRANSCRIPTION_LANGUAGE", "en"),
        ];
        let recorded = recorded(store, audio.clone(), &settings).await;
        recorded.run_jobs().await;
        let transcript = recorded.transcript().await;
        assert_eq!(transcript.status, TranscriptStatus::Completed, "{transcript:?}");
        let (_, detail) = recorded.get(&format!("/v1/transcripts/{}", transcript.id)).await;
        let said: String = detail["segments"]
            .as_array()
            .unwrap()
            .iter()
            .map(|s| s["text"].as_str().unwrap().to_owned())
            .collect::<Vec<_>>()
            .join(" ");
        let heard = words(&said);
        let expected: Vec<String> = words(FIRST).into_iter().chain(words(SECOND)).collect();
        assert_eq!(heard, expected, "word for word: {said}");
        // The second sentence starts after the first one and the pause.
        let second = detail["segments"]
            .as_array()
            .unwrap()
            .iter()
            .find(|s| s["text"].as_str().unwrap().contains("Friday"))
            .unwrap();
        assert!(second["start"].as_f64().unwrap() > 2.0, "{second}");
        assert!(detail["segments"][0]["words"]
            .as_array()
            .is_some_and(|w| !w.is_empty()));

        for query in ["quarterly budget", "\"new release\"", "fri*"] {
            let path = format!(
                "/v1/transcripts/search?q={}",
                query.replace(' ', "%20").replace('"', "%22")
            );
            let (status, found) = recorded.get(&path).await;
            assert_eq!(status, StatusCode::OK);
            assert_eq!(found["total"], 1, "{query}: {found}");
            assert_eq!(found["results"][0]["id"], transcript.id);
        }
    }
}
