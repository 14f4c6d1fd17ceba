//! Types shared by the server and the browser.

mod api_error;
mod auth;
mod calendar;
pub mod consent;
mod jitsi_embed;
mod meeting;
mod platform;
mod recording;
mod relative_time;
mod room;
mod room_api;
mod room_events;
pub mod room_form;
mod room_history;
pub mod room_name;
mod room_now;
mod room_settings;
mod room_visit;
mod text_enum;
mod timeline;
pub mod timestamp;
mod transcript;

pub use api_error::{error_codes, ApiError};
pub use auth::{ApiKey, CreateApiKey, CreatedApiKey, LoginRequest, LoginResponse, Me};
pub use calendar::{
    Attendee, CalendarEvent, CalendarSummary, IcsState, IcsStatus, IcsSyncResult, IcsSyncStatus,
};
pub use jitsi_embed::JitsiEmbed;
pub use meeting::{failover_notice, Failover, Meeting, NewMeeting};
pub use platform::{Capabilities, Platform, PlatformList};
pub use recording::RecordingView;
pub use relative_time::relative_time;
pub use room::{NewRoom, Room};
pub use room_api::{
    ConsentRecorded, ConsentRequest, CreateRoom, CreateRoomMeeting, DailyRecordingKind, NextEvent,
    RoomChoice, RoomDeleted, RoomOverview, RoomPage, StartRecording, UpdateRoom,
};
pub use room_events::{
    DeliveryAttempt, DeliveryPage, DeliveryStatus, EventMeeting, EventParticipant, EventRecording,
    EventTranscript, MeetingEvent, ParticipantEvent, RecordingEvent, RoomEventKind, TestEvent,
    TranscriptCompletedEvent, WebhookDelivery, WebhookEvents, WebhookTestResult, TEST_MESSAGE,
};
pub use room_history::{Attendance, PastMeeting, RoomHistory};
pub use room_now::{room_now, RoomNow};
pub use room_settings::{RecordingStatus, RecordingTrigger, RecordingType, RoomMode};
pub use room_visit::{CallDetails, MeetingChoice, RoomVisit, UpcomingChoice};
pub use text_enum::UnknownVariant;
pub use timeline::bar_span;
pub use transcript::{
    line_time, participants_of, to_srt, to_text, to_webvtt, SearchResponse, SearchResult, Segment,
    Transcript, TranscriptDetail, TranscriptFormat, TranscriptLink, TranscriptPage, TranscriptParticipant,
    TranscriptStatus, Word,
};
