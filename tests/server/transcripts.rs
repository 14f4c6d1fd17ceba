//! Transcripts: a stored recording becomes a transcript through the job
//! queue, ffmpeg and an OpenAI-compatible service (a scripted fake here, a
//! real Whisper model in `transcripts_whisper.rs`); failures retry or fail
//! as they should; consent denial deletes the audio; search, exports and
//! who may read what, on SQLite and PostgreSQL.

use app::server::jobs::Runner;
use app::server::store::testing::every_backend;
use app::server::store::{AnnouncedRecording, Store, StoredCopy, Transcribed};
use app::server::AppState;
use app::types::{NewMeeting, NewRoom, Platform, Segment, Transcript, TranscriptStatus, Word};
use axum::http::StatusCode;
use chrono::Utc;
use futures::StreamExt;
use serde_json::{json, Value};

use crate::support::fake_transcriber::{FakeTranscriber, Reply};
use crate::support::{state_for, TestApi};

/// `seconds` of a tone, as WAV (what ffmpeg makes of it does not matter
/// to the fake service).
pub(crate) async fn tone(seconds: u32) -> Vec<u8> {
    let output = tokio::process::Command::new("ffmpeg")
        .args(["-nostdin", "-loglevel", "error", "-f", "lavfi", "-i"])
        .arg(format!("sine=frequency=440:duration={seconds}"))
        .args(["-ac", "1", "-ar", "16000", "-f", "wav", "pipe:1"])
        .output()
        .await
        .expect("ffmpeg is installed (scripts/install-tools)");
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    output.stdout
}

pub(crate) struct Recorded {
    pub api: TestApi,
    pub owner: String,
    pub room_id: String,
    pub meeting_id: String,
    pub recording_id: String,
}

/// A room with a meeting whose recording (`audio`) was just stored, as the
/// recording pipeline stores it (transcript queued with it).
pub(crate) async fn recorded(store: Store, audio: Vec<u8>, settings: &[(&str, &str)]) -> Recorded {
    let api = TestApi::new(state_for(store.clone(), settings));
    let owner_user = store
        .upsert_user("local:owner@example.com", "owner@example.com", None)
        .await
        .unwrap();
    let owner = format!("Bearer {}", api.state.auth.tokens.issue(&owner_user).unwrap());
    let tag = uuid::Uuid::new_v4().simple().to_string()[..8].to_owned();
    let mut new_room = NewRoom::with_defaults(format!("talks-{tag}"), &owner_user.id, Platform::Daily);
    new_room.webhook_url = Some("http://127.0.0.1:9/hook".into());
    let room = store.insert_room(&new_room).await.unwrap();
    let start = Utc::now();
    let meeting = store
        .insert_meeting(
            &room,
            &NewMeeting {
                id: format!("m-{tag}"),
                room_name: format!("talks-{tag}-1"),
                room_url: "https://fake/r".into(),
                host_room_url: "https://fake/r".into(),
                start_date: start,
                end_date: start + chrono::Duration::hours(1),
                platform: Platform::Daily,
                calendar_event_id: None,
                calendar_metadata: None,
                failover: None,
            },
        )
        .await
        .unwrap();
    let recording_id = format!("rec-{tag}");
    store
        .upsert_recording(&AnnouncedRecording {
            id: &recording_id,
            meeting_id: Some(&meeting.id),
            platform: Platform::Daily,
            bucket_name: "b",
            object_key: "x.wav",
            recorded_at: start,
            track_keys: None,
        })
        .await
        .unwrap();
    let key = format!("recordings/{}/{recording_id}.wav", meeting.id);
    let bytes = futures::stream::iter([Ok::<_, String>(axum::body::Bytes::from(audio))]).boxed();
    let copy: StoredCopy = api
        .state
        .recording_storage
        .copy_in(&key, bytes, 1 << 30)
        .await
        .unwrap();
    let job = app::server::jobs::Job::TranscribeRecording {
        recording_id: recording_id.clone(),
    }
    .to_queue(&api.state.settings);
    assert!(store
        .complete_recording_then(&recording_id, &copy, &[], Some(&job))
        .await
        .unwrap());
    Recorded {
        api,
        owner,
        room_id: room.id,
        meeting_id: meeting.id,
        recording_id,
    }
}

impl Recorded {
    pub(crate) fn state(&self) -> &AppState {
        &self.api.state
    }

    /// Runs the queue's jobs until none is due.
    pub(crate) async fn run_jobs(&self) {
        let (_stop, mut stopped) = tokio::sync::watch::channel(false);
        let runner = Runner::new(self.state().clone(), "transcriber");
        while runner.run_next(&mut stopped).await.unwrap().is_some() {}
    }

    pub(crate) async fn transcript(&self) -> Transcript {
        self.state()
            .store
            .transcript_of_recording(&self.recording_id)
            .await
            .unwrap()
            .expect("the recording has a transcript")
    }

    pub(crate) async fn get(&self, path: &str) -> (StatusCode, Value) {
        self.api.call("GET", path, Some(&self.owner), None).await
    }
}

fn service(url: &str) -> Vec<(&'static str, String)> {
    vec![
        ("TRANSCRIPTION_BACKEND", "openai".into()),
        ("TRANSCRIPTION_URL", url.to_owned()),
        ("TRANSCRIPTION_API_KEY", "sk-test".into()),
        ("TRANSCRIPTION_LANGUAGE", "en".into()),
        ("JOB_RETRY_BASE_SECONDS", "0".into()),
        ("JOB_MAX_ATTEMPTS", "3".into()),
    ]
}

fn settings<'a>(
    pairs: &'a [(&'static str, String)],
    extra: &[(&'a str, &'a str)],
) -> Vec<(&'a str, &'a str)> {
    let mut all: Vec<(&str, &str)> = pairs.iter().map(|(k, v)| (*k, v.as_str())).collect();
    all.extend_from_slice(extra);
    all
}

#[tokio::test]
async fn a_stored_recording_becomes_a_transcript_after_a_busy_service() {
    for store in every_backend().await {
        let (fake, url) = FakeTranscriber::start().await;
        let env = service(&url);
        let recorded = recorded(store, tone(3).await, &settings(&env, &[])).await;
        assert_eq!(recorded.transcript().await.status, TranscriptStatus::Queued);
        fake.script(&[Reply::Status(429), Reply::Said("The budget is approved")]);
        recorded.run_jobs().await;

        let transcript = recorded.transcript().await;
        assert_eq!(transcript.status, TranscriptStatus::Completed, "{transcript:?}");
        assert_eq!(transcript.source_language.as_deref(), Some("en"));
        assert!(!transcript.audio_deleted);
        let asked = fake.asked();
        assert_eq!(asked.len(), 2, "retried once after 429");
        assert_eq!(asked[1].authorization.as_deref(), Some("Bearer sk-test"));
        let field = |name: &str| {
            asked[1]
                .fields
                .iter()
                .filter(|(k, _)| k == name)
                .map(|(_, v)| v.clone())
                .collect::<Vec<_>>()
        };
        assert_eq!(field("model"), ["whisper-1"]);
        assert_eq!(field("language"), ["en"]);
        assert_eq!(field("response_format"), ["verbose_json"]);
        assert!(field("timestamp_granularities[]").contains(&"word".to_owned()));
        assert_eq!(asked[1].seconds, 3.0, "16 kHz mono 16-bit WAV");

        let (status, detail) = recorded.get(&format!("/v1/transcripts/{}", transcript.id)).await;
        assert_eq!(status, StatusCode::OK, "{detail}");
        assert_eq!(detail["segments"][0]["text"], "The budget is approved");
        assert_eq!(detail["segments"][0]["words"][1]["text"], "budget");
        assert_eq!(detail["room_id"], recorded.room_id);
        assert_eq!(detail["meeting_id"], recorded.meeting_id);
        let (status, vtt) = raw_get(
            &recorded.api,
            &format!("/v1/transcripts/{}/webvtt", transcript.id),
            &recorded.owner,
        )
        .await;
        assert_eq!(status, StatusCode::OK);
        assert!(vtt.contains("The budget is approved"), "{vtt}");

        // The room's webhook has its transcript.completed event, in Reflector's shape.
        let (items, _) = recorded
            .state()
            .store
            .room_deliveries(&recorded.room_id, 10, 0)
            .await
            .unwrap();
        let kinds: Vec<_> = items.iter().map(|d| d.event.as_str()).collect();
        assert_eq!(kinds, ["transcript.completed", "recording.ready"]);

        // Asked again, nothing is transcribed twice.
        app::server::jobs::enqueue(
            recorded.state(),
            &app::server::jobs::Job::TranscribeRecording {
                recording_id: recorded.recording_id.clone(),
            },
        )
        .await
        .unwrap();
        recorded.run_jobs().await;
        assert_eq!(fake.asked().len(), 2);
    }
}

#[tokio::test]
async fn a_failing_service_leaves_the_reason_and_refusals_are_not_retried() {
    let (fake, url) = FakeTranscriber::start().await;
    let env = service(&url);
    for store in every_backend().await {
        // 500 every time: retried up to JOB_MAX_ATTEMPTS, then failed with the reason.
        let recorded = recorded(store.clone(), tone(1).await, &settings(&env, &[])).await;
        let before = fake.asked().len();
        fake.script(&[Reply::Status(500), Reply::Status(500), Reply::Status(500)]);
        recorded.run_jobs().await;
        let transcript = recorded.transcript().await;
        assert_eq!(transcript.status, TranscriptStatus::Failed);
        assert!(
            transcript.error.as_deref().unwrap().contains("500 scripted 500"),
            "{transcript:?}"
        );
        assert_eq!(fake.asked().len() - before, 3);

        // 413 (a piece too big for the service): refused at once, not retried.
        let recorded = recorded_again(&store, &env).await;
        let before = fake.asked().len();
        fake.script(&[Reply::Status(413)]);
        recorded.run_jobs().await;
        let transcript = recorded.transcript().await;
        assert_eq!(transcript.status, TranscriptStatus::Failed);
        assert!(
            transcript
                .error
                .as_deref()
                .unwrap()
                .contains("refused the audio: 413"),
            "{transcript:?}"
        );
        assert_eq!(fake.asked().len() - before, 1);

        // Garbage instead of JSON: retried, then fine.
        let recorded = recorded_again(&store, &env).await;
        fake.script(&[Reply::Garbage, Reply::Said("fine again")]);
        recorded.run_jobs().await;
        assert_eq!(recorded.transcript().await.status, TranscriptStatus::Completed);
    }
}

async fn recorded_again(store: &Store, env: &[(&'static str, String)]) -> Recorded {
    recorded(store.clone(), tone(1).await, &settings(env, &[])).await
}

#[tokio::test]
async fn long_audio_goes_in_pieces_whose_words_land_where_they_were_said() {
    let (fake, url) = FakeTranscriber::start().await;
    let env = service(&url);
    // 3 s per piece (96,000 bytes of samples, a second in hand for where
    // ffmpeg cuts): a 7 s recording is three pieces.
    let recorded = recorded(
        app::server::store::testing::sqlite_store().await,
        tone(7).await,
        &settings(&env, &[("TRANSCRIPTION_MAX_UPLOAD_BYTES", "130000")]),
    )
    .await;
    fake.script(&[Reply::Said("one"), Reply::Said("two"), Reply::Said("three")]);
    recorded.run_jobs().await;
    let asked = fake.asked();
    assert_eq!(asked.len(), 3);
    assert!(asked.iter().all(|a| a.file_bytes <= 130_000));
    let segments = recorded
        .state()
        .store
        .transcript_segments(&recorded.transcript().await.id)
        .await
        .unwrap();
    // Each piece's "0.5 s in" lands 0.5 s after the samples of the pieces
    // before it (ffmpeg cuts at a packet, so near 3 s and 6 s).
    let mut offset = 0.0;
    for (segment, piece) in segments.iter().zip(&asked) {
        assert!(
            (segment.start - (offset + 0.5)).abs() < 1e-6,
            "{segment:?} after {offset} s"
        );
        offset += piece.seconds;
    }
    assert!((segments[1].start - 3.5).abs() < 0.2 && (segments[2].start - 6.5).abs() < 0.2);
    assert_eq!(segments[2].words[0].start, segments[2].start);
    assert_eq!(recorded.transcript().await.duration, Some(7.0));
}

#[tokio::test]
async fn when_someone_declined_the_audio_is_deleted_after_transcription() {
    let (fake, url) = FakeTranscriber::start().await;
    let env = service(&url);
    for store in every_backend().await {
        let recorded = recorded(store.clone(), tone(1).await, &settings(&env, &[])).await;
        store
            .record_consent(&recorded.meeting_id, None, false)
            .await
            .unwrap();
        fake.script(&[Reply::Said("private words")]);
        recorded.run_jobs().await;
        let transcript = recorded.transcript().await;
        assert_eq!(transcript.status, TranscriptStatus::Completed);
        assert!(transcript.audio_deleted);
        let recording = store
            .recording_by_id(&recorded.recording_id)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(recording.storage_key, None);
        let key = format!("recordings/{}/{}.wav", recorded.meeting_id, recorded.recording_id);
        assert!(
            recorded.state().recording_storage.read(&key).await.is_err(),
            "the audio is gone"
        );

        // Killed after the transcript was stored, before the audio went:
        // the job's retry removes it.
        let again = recorded_again(&store, &env).await;
        store
            .record_consent(&again.meeting_id, None, false)
            .await
            .unwrap();
        let stored = Transcribed {
            segments: &[],
            language: None,
            duration: None,
            audio_deleted: true,
            event: &json!({}),
        };
        let id = again.transcript().await.id;
        assert!(store.complete_transcript(&id, &stored, Utc::now()).await.unwrap());
        let asked_before = fake.asked().len();
        again.run_jobs().await;
        assert_eq!(fake.asked().len(), asked_before, "not transcribed again");
        let recording = store.recording_by_id(&again.recording_id).await.unwrap().unwrap();
        assert_eq!(recording.storage_key, None, "the promised deletion happened");
    }
}

#[tokio::test]
async fn the_transcripts_audio_plays_in_ranges_for_its_readers_until_it_is_deleted() {
    let (fake, url) = FakeTranscriber::start().await;
    let env = service(&url);
    let store = app::server::store::testing::sqlite_store().await;
    let audio = tone(2).await;
    let recorded = recorded(store.clone(), audio.clone(), &settings(&env, &[])).await;
    fake.script(&[Reply::Said("hello there")]);
    recorded.run_jobs().await;
    let id = recorded.transcript().await.id;
    let (_, detail) = recorded.get(&format!("/v1/transcripts/{id}")).await;
    let audio_url = detail["audio_url"]
        .as_str()
        .expect("the audio is kept")
        .to_owned();
    assert_eq!(audio_url, format!("/v1/transcripts/{id}/audio"));
    let (_, recordings) = recorded
        .get(&format!("/v1/meetings/{}/recordings", recorded.meeting_id))
        .await;
    assert_eq!(recordings[0]["transcript_id"], id.as_str());
    assert_eq!(recordings[0]["transcript_status"], "completed");

    let fetch = |range: Option<&'static str>, auth: Option<String>| {
        let router = recorded.api.router.clone();
        let url = audio_url.clone();
        async move {
            let mut request = axum::http::Request::get(url);
            if let Some(range) = range {
                request = request.header("range", range);
            }
            if let Some(auth) = auth {
                request = request.header("authorization", auth);
            }
            let response =
                tower::ServiceExt::oneshot(router, request.body(axum::body::Body::empty()).unwrap())
                    .await
                    .unwrap();
            let status = response.status();
            let headers = response.headers().clone();
            let body = http_body_util::BodyExt::collect(response.into_body())
                .await
                .unwrap()
                .to_bytes();
            (status, headers, body)
        }
    };
    let owner = Some(recorded.owner.clone());
    let (status, headers, body) = fetch(None, owner.clone()).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(headers["accept-ranges"], "bytes");
    assert_eq!(headers["content-type"], "audio/wav");
    assert_eq!(body.as_ref(), audio.as_slice());
    let (status, headers, body) = fetch(Some("bytes=100-199"), owner.clone()).await;
    assert_eq!(status, StatusCode::PARTIAL_CONTENT);
    assert_eq!(headers["content-range"], format!("bytes 100-199/{}", audio.len()));
    assert_eq!(body.as_ref(), &audio[100..200]);
    let (status, _, body) = fetch(Some("bytes=-10"), owner.clone()).await;
    assert_eq!(status, StatusCode::PARTIAL_CONTENT);
    assert_eq!(body.as_ref(), &audio[audio.len() - 10..]);
    let (status, headers, body) = fetch(Some("bytes=99999999-"), owner.clone()).await;
    assert_eq!(status, StatusCode::RANGE_NOT_SATISFIABLE);
    assert_eq!(headers["content-range"], format!("bytes */{}", audio.len()));
    assert!(String::from_utf8_lossy(&body).contains("detail"));
    // A unit we don't know is ignored; a suffix past the start is the whole file.
    let (status, _, body) = fetch(Some("pages=1"), owner.clone()).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(body.as_ref(), audio.as_slice());
    let (status, headers, body) = fetch(Some("bytes=-99999999"), owner.clone()).await;
    assert_eq!(status, StatusCode::PARTIAL_CONTENT);
    assert_eq!(
        headers["content-range"],
        format!("bytes 0-{}/{}", audio.len() - 1, audio.len())
    );
    assert_eq!(body.as_ref(), audio.as_slice());

    // A stranger learns nothing; after a consent deletion nobody hears it.
    let stranger = store
        .upsert_user("local:stranger@example.com", "stranger@example.com", None)
        .await
        .unwrap();
    let stranger = format!(
        "Bearer {}",
        recorded.state().auth.tokens.issue(&stranger).unwrap()
    );
    assert_eq!(fetch(None, Some(stranger)).await.0, StatusCode::NOT_FOUND);
    let key = format!("recordings/{}/{}.wav", recorded.meeting_id, recorded.recording_id);
    recorded.state().recording_storage.delete(&key).await.unwrap();
    store.forget_recording_copy(&recorded.recording_id).await.unwrap();
    let (_, detail) = recorded.get(&format!("/v1/transcripts/{id}")).await;
    assert!(detail["audio_url"].is_null());
    let (status, _, body) = fetch(None, owner).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert!(String::from_utf8_lossy(&body).contains("no audio"));
}

fn said(speaker: Option<&str>, start: f64, text: &str) -> Segment {
    Segment {
        speaker: speaker.map(str::to_owned),
        start,
        end: start + 1.0,
        text: text.to_owned(),
        words: text
            .split_whitespace()
            .map(|w| Word {
                text: w.into(),
                start,
                end: start + 0.1,
            })
            .collect(),
    }
}

/// Completes a recorded meeting's transcript with these segments directly.
async fn transcribed(recorded: &Recorded, segments: &[Segment]) -> String {
    let transcript = recorded.transcript().await;
    let done = Transcribed {
        segments,
        language: Some("en"),
        duration: Some(10.0),
        audio_deleted: false,
        event: &json!({}),
    };
    assert!(recorded
        .state()
        .store
        .complete_transcript(&transcript.id, &done, Utc::now())
        .await
        .unwrap());
    transcript.id
}

#[tokio::test]
async fn search_ranks_finds_phrases_prefixes_and_non_ascii_and_shows_only_what_you_may_read() {
    for store in every_backend().await {
        let audio = Vec::new();
        let first = recorded(store.clone(), audio.clone(), &[]).await;
        let budget_once = transcribed(
            &first,
            &[
                said(Some("Ann"), 0.0, "The budget is approved."),
                said(None, 2.0, "We ship on Friday."),
            ],
        )
        .await;
        let second = recorded(store.clone(), audio.clone(), &[]).await;
        let budget_thrice = transcribed(
            &second,
            &[
                said(Some("Bo"), 0.0, "Budget, budget, budget: the budget review."),
                said(None, 3.0, "Crème brûlée at the café <b>now</b>."),
            ],
        )
        .await;
        let api = &first.api;
        let owner = &first.owner;
        let search = |query: &str| {
            let path = format!("/v1/transcripts/search?q={}", urlencode(query));
            async move { api.call("GET", &path, Some(owner), None).await }
        };

        let (status, found) = search("budget").await;
        assert_eq!(status, StatusCode::OK, "{found}");
        assert_eq!(found["total"], 2);
        assert_eq!(
            found["results"][0]["id"], budget_thrice,
            "more matches rank first: {found}"
        );
        assert_eq!(found["results"][1]["id"], budget_once);
        assert_eq!(found["results"][0]["total_match_count"], 4);
        assert!(found["results"][1]["search_snippets"][0]
            .as_str()
            .unwrap()
            .contains("The <mark>budget</mark> is approved."));

        let (_, found) = search("\"ship on friday\"").await;
        assert_eq!(found["total"], 1);
        assert_eq!(found["results"][0]["id"], budget_once);
        let (_, found) = search("\"friday on ship\"").await;
        assert_eq!(found["total"], 0, "a phrase is in order");
        let (_, found) = search("appro*").await;
        assert_eq!(found["results"][0]["id"], budget_once);
        let (_, found) = search("brûlée café").await;
        assert_eq!(found["results"][0]["id"], budget_thrice);
        assert!(found["results"][0]["search_snippets"][0]
            .as_str()
            .unwrap()
            .contains("&lt;b&gt;now&lt;/b&gt;"));
        let (_, found) = search(&format!("budget room:{}", first.room_id)).await;
        assert_eq!(found["total"], 0, "every word must appear");
        let (_, found) = api
            .call(
                "GET",
                &format!("/v1/transcripts/search?q=budget&room_id={}", first.room_id),
                Some(owner),
                None,
            )
            .await;
        assert_eq!(found["total"], 1);
        let (status, found) = search("  ***  ").await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{found}");

        let stranger = api.user("stranger@example.com").await;
        let (status, found) = api
            .call("GET", "/v1/transcripts/search?q=budget", Some(&stranger), None)
            .await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(found["total"], 0, "a stranger finds nothing");
        let (status, _) = api
            .call(
                "GET",
                &format!("/v1/transcripts/{budget_once}"),
                Some(&stranger),
                None,
            )
            .await;
        assert_eq!(status, StatusCode::NOT_FOUND);
        let (status, _) = api
            .call("GET", "/v1/transcripts/search?q=budget", None, None)
            .await;
        assert_eq!(status, StatusCode::UNAUTHORIZED);
        let (_, listed) = api.call("GET", "/v1/transcripts", Some(&stranger), None).await;
        assert_eq!(listed["total"], 0);
        let (_, listed) = api.call("GET", "/v1/transcripts", Some(owner), None).await;
        assert_eq!(listed["total"], 2);

        // Exports.
        let (status, text) = raw_get(api, &format!("/v1/transcripts/{budget_once}/text"), owner).await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(
            text,
            "[00:00] Ann: The budget is approved.\n[00:02] We ship on Friday.\n"
        );
        let (_, vtt) = raw_get(api, &format!("/v1/transcripts/{budget_once}/webvtt"), owner).await;
        assert!(
            vtt.starts_with("WEBVTT\n") && vtt.contains("<v Ann>The budget is approved."),
            "{vtt}"
        );
        let (_, srt) = raw_get(api, &format!("/v1/transcripts/{budget_once}/srt"), owner).await;
        assert!(
            srt.starts_with("1\n00:00:00,000 --> 00:00:01,000\nAnn: The budget"),
            "{srt}"
        );
        let (status, _) = raw_get(api, &format!("/v1/transcripts/{budget_once}/pdf"), owner).await;
        assert_eq!(status, StatusCode::BAD_REQUEST);

        // Deleting: the owner only; it leaves the search.
        let (status, _) = api
            .call(
                "DELETE",
                &format!("/v1/transcripts/{budget_once}"),
                Some(&stranger),
                None,
            )
            .await;
        assert_eq!(status, StatusCode::NOT_FOUND);
        let (status, _) = api
            .call(
                "DELETE",
                &format!("/v1/transcripts/{budget_once}"),
                Some(owner),
                None,
            )
            .await;
        assert_eq!(status, StatusCode::OK);
        let (_, found) = search("friday").await;
        assert_eq!(found["total"], 0);

        // Stored again (a retried job): the new words replace the old ones.
        transcribed(&second, &[said(Some("Bo"), 0.0, "The forecast review.")]).await;
        let (_, found) = search("forecast").await;
        assert_eq!(found["total"], 1, "{found}");
        let (_, found) = search("budget").await;
        assert_eq!(found["total"], 0, "the old words are gone: {found}");
    }
}

fn urlencode(text: &str) -> String {
    text.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

async fn raw_get(api: &TestApi, path: &str, auth: &str) -> (StatusCode, String) {
    crate::support::send(&api.router, "GET", path, &[("authorization", auth)], None).await
}
