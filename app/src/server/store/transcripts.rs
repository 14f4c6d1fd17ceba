//! Transcripts: one per recording, created queued with the job that makes
//! it; completed with its segments, its searchable text and the room's
//! `transcript.completed` event in one transaction; read, listed, searched
//! and deleted only through what the caller may see.

use chrono::{DateTime, Utc};
use serde::Serialize;

use super::jobs::{enqueue_job_in, NewJob};
use super::room_events::RoomEvents;
use super::search_terms::SearchTerms;
use super::tx::{on_tx, Tx};
use super::{on_pool, Backend, Store, StoreError};
use crate::types::{RoomEventKind, Segment, Transcript, TranscriptStatus};

/// A transcript's columns with its room's name, as every read selects them.
const TRANSCRIPT_COLUMNS: &str =
    "t.id, t.recording_id, t.meeting_id, t.room_id, r.name AS room_name, t.status, \
     t.error, t.source_language, t.duration, t.audio_deleted, t.created_at, t.completed_at";

/// Who is reading: a signed-in user sees their rooms' transcripts and the
/// shared rooms'; nobody (public mode) only the shared rooms'.
#[derive(Debug, Clone, Copy)]
pub struct Reader<'a> {
    pub user_id: Option<&'a str>,
}

/// A transcript found by a search, with its text (for snippets).
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct FoundTranscript {
    #[sqlx(flatten)]
    pub transcript: Transcript,
    pub content: String,
    pub score: f64,
}

#[derive(sqlx::FromRow)]
struct SegmentsRow {
    #[sqlx(json)]
    segments: Vec<Segment>,
}

/// What a completed transcription stores.
#[derive(Debug, Clone)]
pub struct Transcribed<'a, E: Serialize> {
    pub segments: &'a [Segment],
    pub language: Option<&'a str>,
    pub duration: Option<f64>,
    pub audio_deleted: bool,
    /// The room's `transcript.completed` payload (sent if the room wants it).
    pub event: &'a E,
}

/// Creates the recording's transcript (queued) and its job, unless it has one.
pub(super) async fn queue_transcript_in(
    tx: &mut Tx,
    recording_id: &str,
    job: &NewJob<'_>,
    now: DateTime<Utc>,
) -> Result<(), StoreError> {
    let inserted = on_tx!(tx, conn => sqlx::query(
        "INSERT INTO transcript (id, recording_id, meeting_id, room_id, status, created_at)
         SELECT $1, rec.id, rec.meeting_id, m.room_id, 'queued', $3
         FROM recording rec LEFT JOIN meeting m ON m.id = rec.meeting_id
         WHERE rec.id = $2
         ON CONFLICT (recording_id) DO NOTHING"
    )
        .bind(uuid::Uuid::new_v4().to_string())
        .bind(recording_id)
        .bind(now)
        .execute(&mut **conn)
        .await?
        .rows_affected());
    if inserted > 0 {
        enqueue_job_in(tx, job, now.timestamp_millis()).await?;
    }
    Ok(())
}

impl Store {
    pub async fn transcript_of_recording(
        &self,
        recording_id: &str,
    ) -> Result<Option<Transcript>, StoreError> {
        self.transcript_where("t.recording_id", recording_id).await
    }

    pub async fn transcript_by_id(&self, id: &str) -> Result<Option<Transcript>, StoreError> {
        self.transcript_where("t.id", id).await
    }

    /// The transcript whose `column` (a unique one, ours) is `value`.
    async fn transcript_where(
        &self,
        column: &'static str,
        value: &str,
    ) -> Result<Option<Transcript>, StoreError> {
        let query = format!(
            "SELECT {TRANSCRIPT_COLUMNS} FROM transcript t LEFT JOIN room r ON r.id = t.room_id WHERE {column} = $1"
        );
        let found = on_pool!(self, pool => sqlx::query_as::<_, Transcript>(sqlx::AssertSqlSafe(query))
            .bind(value)
            .fetch_optional(pool)
            .await?);
        Ok(found)
    }

    /// Each recording's transcript (id, status), for the recordings of one
    /// room or one meeting (`of` names which).
    pub async fn transcripts_of_recordings(
        &self,
        of: RecordingsOf<'_>,
    ) -> Result<std::collections::HashMap<String, (String, TranscriptStatus)>, StoreError> {
        let (query, value) = match of {
            RecordingsOf::Room(id) => (
                "SELECT recording_id, id, status FROM transcript WHERE room_id = $1",
                id,
            ),
            RecordingsOf::Meeting(id) => (
                "SELECT recording_id, id, status FROM transcript WHERE meeting_id = $1",
                id,
            ),
        };
        let rows = on_pool!(self, pool => sqlx::query_as::<_, (Option<String>, String, TranscriptStatus)>(query)
            .bind(value)
            .fetch_all(pool)
            .await?);
        Ok(rows
            .into_iter()
            .filter_map(|(recording, id, status)| Some((recording?, (id, status))))
            .collect())
    }

    pub async fn transcript_segments(&self, id: &str) -> Result<Vec<Segment>, StoreError> {
        let row = on_pool!(self, pool => sqlx::query_as::<_, SegmentsRow>("SELECT segments FROM transcript WHERE id = $1")
            .bind(id)
            .fetch_optional(pool)
            .await?);
        Ok(row.map(|row| row.segments).unwrap_or_default())
    }

    /// Sets the status (and the error, cleared unless failed).
    pub async fn set_transcript_status(
        &self,
        id: &str,
        status: TranscriptStatus,
        error: Option<&str>,
    ) -> Result<(), StoreError> {
        let _write = self.write_turn().await;
        on_pool!(self, pool => sqlx::query("UPDATE transcript SET status = $2, error = $3 WHERE id = $1 AND status <> 'completed'")
            .bind(id)
            .bind(status)
            .bind(error)
            .execute(pool)
            .await
            .map(|_| ())?);
        Ok(())
    }

    /// Stores what was said, its searchable text and the room's event,
    /// together. False when the transcript is gone (deleted meanwhile).
    pub async fn complete_transcript<E: Serialize>(
        &self,
        id: &str,
        done: &Transcribed<'_, E>,
        now: DateTime<Utc>,
    ) -> Result<bool, StoreError> {
        let content = done
            .segments
            .iter()
            .map(|segment| segment.text.trim())
            .collect::<Vec<_>>()
            .join("\n");
        let mut tx = self.begin_write().await?;
        let room: Option<(Option<String>,)> = on_tx!(tx, conn => sqlx::query_as(
            "UPDATE transcript SET status = 'completed', error = NULL, segments = $2, content = $3,
                 source_language = $4, duration = $5, audio_deleted = $6, completed_at = $7
             WHERE id = $1 RETURNING room_id"
        )
            .bind(id)
            .bind(sqlx::types::Json(done.segments))
            .bind(&content)
            .bind(done.language)
            .bind(done.duration)
            .bind(done.audio_deleted)
            .bind(now)
            .fetch_optional(&mut **conn)
            .await?);
        let Some((room_id,)) = room else {
            return Ok(false);
        };
        if self.backend() == Backend::Sqlite {
            on_tx!(tx, conn => { sqlx::query(
                "DELETE FROM transcript_search WHERE rowid = (SELECT search_rowid FROM transcript WHERE id = $1)"
            )
                .bind(id)
                .execute(&mut **conn)
                .await?; });
            on_tx!(tx, conn => { sqlx::query("INSERT INTO transcript_search (transcript_id, content) VALUES ($1, $2)")
                .bind(id)
                .bind(&content)
                .execute(&mut **conn)
                .await?; });
            on_tx!(tx, conn => { sqlx::query("UPDATE transcript SET search_rowid = last_insert_rowid() WHERE id = $1")
                .bind(id)
                .execute(&mut **conn)
                .await?; });
        }
        if let Some(room_id) = room_id {
            let mut events = RoomEvents::default();
            events
                .record(
                    &mut tx,
                    &room_id,
                    RoomEventKind::TranscriptCompleted,
                    done.event,
                    now,
                )
                .await?;
        }
        tx.commit().await?;
        Ok(true)
    }

    /// The transcripts the reader may see, newest first, optionally of one room.
    pub async fn visible_transcripts(
        &self,
        reader: Reader<'_>,
        room_id: Option<&str>,
        limit: i64,
        offset: i64,
    ) -> Result<(Vec<Transcript>, i64), StoreError> {
        let visible = "FROM transcript t JOIN room r ON r.id = t.room_id
             WHERE (r.user_id = $1 OR r.is_shared) AND ($2 IS NULL OR t.room_id = $2)";
        let (total,): (i64,) = on_pool!(self, pool => sqlx::query_as(sqlx::AssertSqlSafe(format!("SELECT COUNT(*) {visible}")))
            .bind(reader.user_id)
            .bind(room_id)
            .fetch_one(pool)
            .await?);
        let query = format!(
            "SELECT {TRANSCRIPT_COLUMNS} {visible} ORDER BY t.created_at DESC, t.id LIMIT $3 OFFSET $4"
        );
        let items = on_pool!(self, pool => sqlx::query_as::<_, Transcript>(sqlx::AssertSqlSafe(query))
            .bind(reader.user_id)
            .bind(room_id)
            .bind(limit)
            .bind(offset)
            .fetch_all(pool)
            .await?);
        Ok((items, total))
    }

    /// Completed transcripts the reader may see that contain every term,
    /// best first (FTS5's bm25 on SQLite, `ts_rank` on PostgreSQL: the one
    /// place where the two databases need their own SQL).
    pub async fn search_transcripts(
        &self,
        terms: &SearchTerms,
        reader: Reader<'_>,
        room_id: Option<&str>,
        limit: i64,
        offset: i64,
    ) -> Result<(Vec<FoundTranscript>, i64), StoreError> {
        let visible =
            "t.status = 'completed' AND (r.user_id = $2 OR r.is_shared) AND ($3 IS NULL OR t.room_id = $3)";
        // Ranking reads only what sits before a transcript's (large)
        // segments in its row; the page's rows are read in full afterwards.
        let (from, score, tiebreak) = match self.backend() {
            Backend::Sqlite => (
                "FROM transcript_search s JOIN transcript t ON t.search_rowid = s.rowid JOIN room r ON r.id = t.room_id
                 WHERE transcript_search MATCH $1",
                "-bm25(transcript_search)",
                // Newest first among equals: FTS rows are added as transcripts complete.
                "s.rowid",
            ),
            Backend::Postgres => (
                "FROM transcript t JOIN room r ON r.id = t.room_id
                 WHERE t.search_vector @@ to_tsquery('simple', $1)",
                "ts_rank(t.search_vector, to_tsquery('simple', $1))::float8",
                "t.created_at",
            ),
        };
        let expression = match self.backend() {
            Backend::Sqlite => terms.fts5(),
            Backend::Postgres => terms.tsquery(),
        };
        let (total,): (i64,) = on_pool!(self, pool => sqlx::query_as(sqlx::AssertSqlSafe(format!("SELECT COUNT(*) {from} AND {visible}")))
            .bind(&expression)
            .bind(reader.user_id)
            .bind(room_id)
            .fetch_one(pool)
            .await?);
        let query = format!(
            "SELECT {TRANSCRIPT_COLUMNS}, t.content, ranked.score AS score
             FROM (SELECT t.id AS id, {score} AS score, {tiebreak} AS tiebreak {from} AND {visible}
                   ORDER BY score DESC, tiebreak DESC, id LIMIT $4 OFFSET $5) ranked
             JOIN transcript t ON t.id = ranked.id LEFT JOIN room r ON r.id = t.room_id
             ORDER BY ranked.score DESC, ranked.tiebreak DESC, ranked.id"
        );
        let found = on_pool!(self, pool => sqlx::query_as::<_, FoundTranscript>(sqlx::AssertSqlSafe(query))
            .bind(&expression)
            .bind(reader.user_id)
            .bind(room_id)
            .bind(limit)
            .bind(offset)
            .fetch_all(pool)
            .await?);
        Ok((found, total))
    }

    pub async fn delete_transcript(&self, id: &str) -> Result<bool, StoreError> {
        let _write = self.write_turn().await;
        let deleted = on_pool!(self, pool => sqlx::query("DELETE FROM transcript WHERE id = $1")
            .bind(id)
            .execute(pool)
            .await?
            .rows_affected());
        Ok(deleted > 0)
    }

    /// Whether anyone in the meeting declined to have its audio kept.
    pub async fn meeting_has_consent_denial(&self, meeting_id: &str) -> Result<bool, StoreError> {
        let (denied,): (bool,) = on_pool!(self, pool => sqlx::query_as(
            "SELECT EXISTS (SELECT 1 FROM meeting_consent WHERE meeting_id = $1 AND NOT consent_given)"
        )
            .bind(meeting_id)
            .fetch_one(pool)
            .await?);
        Ok(denied)
    }

    /// The recording's stored copies were removed (consent): forget them.
    pub async fn forget_recording_copy(&self, recording_id: &str) -> Result<(), StoreError> {
        let _write = self.write_turn().await;
        on_pool!(self, pool => sqlx::query("UPDATE recording SET storage_key = NULL, stored_tracks = NULL WHERE id = $1")
            .bind(recording_id)
            .execute(pool)
            .await
            .map(|_| ())?);
        Ok(())
    }
}

/// Whose recordings' transcripts to read.
#[derive(Debug, Clone, Copy)]
pub enum RecordingsOf<'a> {
    Room(&'a str),
    Meeting(&'a str),
}
