//! The server's tests, one crate (one link): HTTP through the whole router,
//! the store and the job queue on SQLite and PostgreSQL (`TEST_POSTGRES_URL`,
//! which `scripts/test` provides), against fake platforms on loopback.
//! Each file covers one area; `support` holds what they share.

mod support;

mod api;
mod auth;
mod calendar_feeds;
mod calendar_sync;
mod failover;
mod history;
mod jitsi;
mod jobs;
mod killed_processes;
mod lifecycle;
mod livekit;
mod meetings;
mod migrations;
mod openapi;
mod permissions;
mod raw_tracks;
mod recording_limits;
mod recordings;
mod reflector_compat;
mod refusals;
mod retention;
mod room_webhooks;
mod rooms;
mod store;
mod transcripts;
mod transcripts_whisper;
mod ui;
mod user_urls;
mod webhook_delivery;
mod webhooks;
