//! Room events, recorded in the transaction of what caused them: a join,
//! a leave, a meeting's end, a recording stored or failed. A room whose
//! webhook does not want the event records nothing; otherwise the event
//! becomes a pending row of `room_webhook_delivery`, sent later by the
//! delivery jobs. So an event exists if and only if its cause committed.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use serde::Serialize;

use super::tx::{on_tx, Tx};
use super::StoreError;
use crate::types::{EventMeeting, Meeting, RoomEventKind, WebhookEvents};

/// What rooms of one transaction want, asked once per room.
#[derive(Default)]
pub(super) struct RoomEvents {
    wanted: HashMap<String, Option<WebhookEvents>>,
    meetings: HashMap<String, Option<(String, EventMeeting)>>,
}

impl RoomEvents {
    /// Whether the room's webhook sends `kind` (false without a webhook).
    pub async fn wants(
        &mut self,
        tx: &mut Tx,
        room_id: &str,
        kind: RoomEventKind,
    ) -> Result<bool, StoreError> {
        if !self.wanted.contains_key(room_id) {
            let row: Option<(Option<String>,)> = on_tx!(tx, conn => sqlx::query_as(
                "SELECT webhook_events FROM room
                 WHERE id = $1 AND webhook_url IS NOT NULL AND webhook_url <> ''"
            )
                .bind(room_id)
                .fetch_optional(&mut **conn)
                .await?);
            let events = row.map(|(column,)| WebhookEvents::try_from(column).unwrap_or_default());
            self.wanted.insert(room_id.to_owned(), events);
        }
        Ok(self.wanted[room_id]
            .as_ref()
            .is_some_and(|events| events.sends(kind)))
    }

    /// Whether the room's webhook wants any of `kinds`.
    pub async fn wants_any(
        &mut self,
        tx: &mut Tx,
        room_id: &str,
        kinds: &[RoomEventKind],
    ) -> Result<bool, StoreError> {
        for kind in kinds {
            if self.wants(tx, room_id, *kind).await? {
                return Ok(true);
            }
        }
        Ok(false)
    }

    /// The meeting's room, and the meeting as events describe it.
    pub async fn meeting(
        &mut self,
        tx: &mut Tx,
        meeting_id: &str,
    ) -> Result<Option<(String, EventMeeting)>, StoreError> {
        if !self.meetings.contains_key(meeting_id) {
            let meeting: Option<Meeting> = on_tx!(tx, conn => sqlx::query_as("SELECT * FROM meeting WHERE id = $1")
                .bind(meeting_id)
                .fetch_optional(&mut **conn)
                .await?);
            let described =
                meeting.and_then(|meeting| Some((meeting.room_id.clone()?, event_meeting(&meeting))));
            self.meetings.insert(meeting_id.to_owned(), described);
        }
        Ok(self.meetings[meeting_id].clone())
    }

    /// Records the event when the room wants it.
    pub async fn record(
        &mut self,
        tx: &mut Tx,
        room_id: &str,
        kind: RoomEventKind,
        data: &impl Serialize,
        occurred_at: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        if !self.wants(tx, room_id, kind).await? {
            return Ok(());
        }
        insert_event(tx, room_id, kind, data, occurred_at).await?;
        Ok(())
    }
}

pub fn event_meeting(meeting: &Meeting) -> EventMeeting {
    EventMeeting {
        id: meeting.id.clone(),
        platform: meeting.platform,
        start_date: meeting.start_date,
        end_date: meeting.end_date,
        calendar_event_id: meeting.calendar_event_id.clone(),
        failover_from: meeting.failover_from,
        failover_reason: meeting.failover_reason.clone(),
    }
}

/// A pending delivery of the event, due at once; answers its event id.
pub(super) async fn insert_event(
    tx: &mut Tx,
    room_id: &str,
    kind: RoomEventKind,
    data: &impl Serialize,
    occurred_at: DateTime<Utc>,
) -> Result<String, StoreError> {
    let event_id = uuid::Uuid::new_v4().simple().to_string();
    let data = serde_json::to_value(data).map_err(|error| StoreError::InvalidValue(error.to_string()))?;
    // Due now: when it happened is the platform's clock, which may run ahead.
    let due = Utc::now();
    on_tx!(tx, conn => { sqlx::query(
        "INSERT INTO room_webhook_delivery (event_id, room_id, event, data, occurred_at, next_attempt_at)
         VALUES ($1, $2, $3, $4, $5, $6)"
    )
        .bind(&event_id)
        .bind(room_id)
        .bind(kind)
        .bind(sqlx::types::Json(&data))
        .bind(occurred_at)
        .bind(due)
        .execute(&mut **conn)
        .await?; });
    Ok(event_id)
}
