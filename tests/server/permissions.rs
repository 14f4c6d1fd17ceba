//! Every `/v1` route, called as each kind of caller, on SQLite and PostgreSQL.
//! Add a row for every new route. X-API-Key, cookies and conflicting
//! credentials have their own tests in tests_auth.rs.

use app::server::auth::tokens::AccessClaims;
use app::server::store::testing::every_backend;
use app::server::store::{Store, User};
use app::server::{services, AppState};
use app::types::{CreateApiKey, NewRoom, Platform};
use axum::Router;
use chrono::Utc;
use serde_json::Value;

use crate::support::{router_for, send, state_for};

#[derive(Debug, Clone, Copy)]
enum As {
    Anonymous,
    OtherUser,
    Owner,
    BadToken,
    ExpiredToken,
}

const CALLERS: [As; 5] = [
    As::Anonymous,
    As::OtherUser,
    As::Owner,
    As::BadToken,
    As::ExpiredToken,
];

/// Fresh users and resources for one call; names are unique so many
/// fixtures share one database.
struct Fixture {
    router: Router,
    owner_token: String,
    other_token: String,
    expired_token: String,
    owner_key_id: String,
    owner_password: String,
    owner_email: String,
    room_id: String,
    room_name: String,
    meeting_id: String,
    tag: String,
}

async fn fixture(store: &Store) -> Fixture {
    // The webhook test resolves a name that does not exist: not for long.
    let state = state_for(
        store.clone(),
        &[
            ("ENABLE_MOCK_PLATFORM", "true"),
            ("ROOM_WEBHOOK_TIMEOUT_SECONDS", "1"),
        ],
    );
    let tag = uuid::Uuid::new_v4().simple().to_string();
    let owner_email = format!("owner-{tag}@example.com");
    let owner_password = "owner password 1".to_owned();
    let owner = services::users::ensure_password_user(&state, &owner_email, &owner_password)
        .await
        .unwrap();
    let other = store
        .upsert_user(
            &format!("local:other-{tag}@example.com"),
            "other@example.com",
            None,
        )
        .await
        .unwrap();
    let owner_caller = app::server::auth::Caller::signed_in(owner.clone());
    let key = services::api_keys::create(
        &state,
        &owner_caller,
        &CreateApiKey {
            name: Some("ci".into()),
        },
    )
    .await
    .unwrap();
    let room_name = format!("room-{tag}");
    let mut private_room = NewRoom::with_defaults(&room_name, &owner.id, Platform::Mock);
    private_room.webhook_url = Some("https://hooks.example/secret".into());
    let room = store.insert_room(&private_room).await.unwrap();
    let meeting = services::meetings::get_or_create(&state, &owner_caller, &room_name, false)
        .await
        .unwrap();
    Fixture {
        room_id: room.id,
        room_name,
        meeting_id: meeting.id,
        tag,
        owner_token: state.auth.tokens.issue(&owner).unwrap(),
        other_token: state.auth.tokens.issue(&other).unwrap(),
        expired_token: expired_token(&state, &owner),
        owner_key_id: key.info.id,
        owner_password,
        owner_email,
        router: router_for(state),
    }
}

fn expired_token(state: &AppState, user: &User) -> String {
    let now = Utc::now().timestamp();
    let claims = AccessClaims {
        sub: user.id.clone(),
        email: user.email.clone(),
        iat: now - 7200,
        exp: now - 3600,
    };
    state.auth.tokens.sign(&claims).unwrap()
}

impl Fixture {
    fn fill(&self, template: &str) -> String {
        template
            .replace("{key_id}", &self.owner_key_id)
            .replace("{owner_email}", &self.owner_email)
            .replace("{owner_password}", &self.owner_password)
            .replace("{room_id}", &self.room_id)
            .replace("{room_name}", &self.room_name)
            .replace("{meeting_id}", &self.meeting_id)
            .replace("{new_name}", &format!("new-{}", self.tag))
    }

    fn authorization(&self, caller: As) -> Option<String> {
        match caller {
            As::Anonymous => None,
            As::OtherUser => Some(format!("Bearer {}", self.other_token)),
            As::Owner => Some(format!("Bearer {}", self.owner_token)),
            As::BadToken => Some("Bearer not-a-token".to_owned()),
            As::ExpiredToken => Some(format!("Bearer {}", self.expired_token)),
        }
    }
}

struct Route {
    method: &'static str,
    path: &'static str,
    body: Option<&'static str>,
    /// Expected status for: anonymous, other user, owner, bad token, expired token.
    expect: [u16; 5],
}

const ROUTES: &[Route] = &[
    Route {
        method: "GET",
        path: "/v1/config",
        body: None,
        expect: [200, 200, 200, 401, 401],
    },
    Route {
        method: "GET",
        path: "/v1/me",
        body: None,
        expect: [200, 200, 200, 401, 401],
    },
    Route {
        method: "POST",
        path: "/v1/auth/login",
        body: Some(r#"{"email":"{owner_email}","password":"{owner_password}"}"#),
        expect: [200, 200, 200, 401, 401],
    },
    Route {
        method: "POST",
        path: "/v1/user/api-keys",
        body: Some(r#"{"name":"laptop"}"#),
        expect: [401, 200, 200, 401, 401],
    },
    // Anonymous callers are refused before their body is looked at.
    Route {
        method: "POST",
        path: "/v1/user/api-keys",
        body: Some(r#"{"name":""}"#),
        expect: [401, 422, 422, 401, 401],
    },
    Route {
        method: "GET",
        path: "/v1/user/api-keys",
        body: None,
        expect: [401, 200, 200, 401, 401],
    },
    Route {
        method: "DELETE",
        path: "/v1/user/api-keys/{key_id}",
        body: None,
        expect: [401, 404, 200, 401, 401],
    },
    Route {
        method: "DELETE",
        path: "/v1/user/api-keys/no-such-key",
        body: None,
        expect: [401, 404, 404, 401, 401],
    },
    Route {
        method: "GET",
        path: "/v1/rooms",
        body: None,
        expect: [401, 200, 200, 401, 401],
    },
    Route {
        method: "POST",
        path: "/v1/rooms",
        body: Some(r#"{"name":"{new_name}"}"#),
        expect: [401, 200, 200, 401, 401],
    },
    Route {
        method: "POST",
        path: "/v1/rooms",
        body: Some(r#"{"name":5}"#),
        expect: [401, 422, 422, 401, 401],
    },
    // A private room by id is its owner's business.
    Route {
        method: "GET",
        path: "/v1/rooms/{room_id}",
        body: None,
        expect: [403, 403, 200, 401, 401],
    },
    Route {
        method: "GET",
        path: "/v1/rooms/no-such-room",
        body: None,
        expect: [404, 404, 404, 401, 401],
    },
    Route {
        method: "GET",
        path: "/v1/rooms/name/{room_name}",
        body: None,
        expect: [200, 200, 200, 401, 401],
    },
    Route {
        method: "PATCH",
        path: "/v1/rooms/{room_id}",
        body: Some(r#"{"is_locked":true}"#),
        expect: [401, 403, 200, 401, 401],
    },
    Route {
        method: "GET",
        path: "/v1/rooms/{room_name}/history",
        body: None,
        expect: [401, 403, 200, 401, 401],
    },
    Route {
        method: "GET",
        path: "/v1/rooms/no-such-room/history",
        body: None,
        expect: [401, 404, 404, 401, 401],
    },
    Route {
        method: "PATCH",
        path: "/v1/rooms/{room_id}",
        body: Some(r#"{"room_mode":"huge"}"#),
        expect: [401, 422, 422, 401, 401],
    },
    Route {
        method: "DELETE",
        path: "/v1/rooms/{room_id}",
        body: None,
        expect: [401, 403, 200, 401, 401],
    },
    Route {
        method: "DELETE",
        path: "/v1/rooms/no-such-room",
        body: None,
        expect: [401, 404, 404, 401, 401],
    },
    Route {
        method: "POST",
        path: "/v1/rooms/{room_name}/meeting",
        body: Some("{}"),
        expect: [200, 200, 200, 401, 401],
    },
    Route {
        method: "POST",
        path: "/v1/rooms/{room_name}/meeting",
        body: Some(r#"{"allow_duplicated":true}"#),
        expect: [401, 403, 200, 401, 401],
    },
    Route {
        method: "POST",
        path: "/v1/rooms/no-such-room/meeting",
        body: Some("{}"),
        expect: [404, 404, 404, 401, 401],
    },
    Route {
        method: "GET",
        path: "/v1/rooms/{room_name}/meetings/active",
        body: None,
        expect: [200, 200, 200, 401, 401],
    },
    Route {
        method: "GET",
        path: "/v1/rooms/{room_name}/meetings/{meeting_id}",
        body: None,
        expect: [200, 200, 200, 401, 401],
    },
    Route {
        method: "POST",
        path: "/v1/rooms/{room_name}/meetings/{meeting_id}/join",
        body: None,
        expect: [200, 200, 200, 401, 401],
    },
    Route {
        method: "POST",
        path: "/v1/meetings/{meeting_id}/consent",
        body: Some(r#"{"consent_given":true}"#),
        expect: [200, 200, 200, 401, 401],
    },
    Route {
        method: "PATCH",
        path: "/v1/meetings/{meeting_id}/deactivate",
        body: None,
        expect: [401, 403, 200, 401, 401],
    },
    // The fixture's meeting is on the mock platform: recordings start only in Daily meetings.
    Route {
        method: "POST",
        path: "/v1/meetings/{meeting_id}/recordings/start",
        body: Some(r#"{"type":"cloud","instanceId":"784b3af3-c7dd-57f0-ac54-2ee91c6927cb"}"#),
        expect: [400, 400, 400, 401, 401],
    },
    Route {
        method: "GET",
        path: "/v1/meetings/{meeting_id}/recordings",
        body: None,
        expect: [401, 403, 200, 401, 401],
    },
    Route {
        method: "GET",
        path: "/v1/meetings/{meeting_id}/recordings/no-such-recording/download",
        body: None,
        expect: [401, 403, 404, 401, 401],
    },
    // Platform webhooks answer to signatures only; the fixture server has no
    // webhook secrets configured, so they refuse with 503 whoever calls.
    Route {
        method: "GET",
        path: "/v1/transcripts",
        body: None,
        expect: [401, 200, 200, 401, 401],
    },
    Route {
        method: "GET",
        path: "/v1/transcripts/search?q=budget",
        body: None,
        expect: [401, 200, 200, 401, 401],
    },
    Route {
        method: "GET",
        path: "/v1/transcripts/no-such-transcript",
        body: None,
        expect: [401, 404, 404, 401, 401],
    },
    Route {
        method: "GET",
        path: "/v1/transcripts/no-such-transcript/webvtt",
        body: None,
        expect: [401, 404, 404, 401, 401],
    },
    Route {
        method: "GET",
        path: "/v1/transcripts/no-such-transcript/audio",
        body: None,
        expect: [401, 404, 404, 401, 401],
    },
    Route {
        method: "DELETE",
        path: "/v1/transcripts/no-such-transcript",
        body: None,
        expect: [401, 404, 404, 401, 401],
    },
    Route {
        method: "POST",
        path: "/v1/rooms/{room_id}/webhook/test",
        body: None,
        expect: [401, 403, 200, 401, 401],
    },
    Route {
        method: "GET",
        path: "/v1/rooms/{room_id}/webhook/deliveries",
        body: None,
        expect: [401, 403, 200, 401, 401],
    },
    Route {
        method: "POST",
        path: "/v1/rooms/{room_id}/webhook/deliveries/no-such-event/redeliver",
        body: None,
        expect: [401, 403, 404, 401, 401],
    },
    Route {
        method: "POST",
        path: "/v1/rooms/{room_name}/ics/sync",
        body: None,
        expect: [401, 403, 400, 401, 401],
    },
    Route {
        method: "GET",
        path: "/v1/rooms/{room_name}/ics/status",
        body: None,
        expect: [401, 403, 200, 401, 401],
    },
    Route {
        method: "GET",
        path: "/v1/rooms/no-such-room/ics/status",
        body: None,
        expect: [404, 404, 404, 401, 401],
    },
    Route {
        method: "GET",
        path: "/v1/rooms/{room_name}/meetings",
        body: None,
        expect: [200, 200, 200, 401, 401],
    },
    Route {
        method: "GET",
        path: "/v1/rooms/{room_name}/meetings/upcoming",
        body: None,
        expect: [200, 200, 200, 401, 401],
    },
    Route {
        method: "GET",
        path: "/v1/rooms/no-such-room/meetings/upcoming",
        body: None,
        expect: [404, 404, 404, 401, 401],
    },
    Route {
        method: "POST",
        path: "/v1/daily/webhook",
        body: Some(r#"{"type":"x"}"#),
        expect: [503, 503, 503, 503, 503],
    },
    Route {
        method: "POST",
        path: "/v1/whereby",
        body: Some(r#"{"type":"x"}"#),
        expect: [503, 503, 503, 503, 503],
    },
    Route {
        method: "POST",
        path: "/v1/livekit/webhook",
        body: Some(r#"{"event":"x"}"#),
        expect: [503, 503, 503, 503, 503],
    },
    Route {
        method: "POST",
        path: "/v1/jaas/webhook",
        body: Some(r#"{"eventType":"x"}"#),
        expect: [503, 503, 503, 503, 503],
    },
];

#[tokio::test]
async fn every_route_answers_each_kind_of_caller_as_specified() {
    let mut mismatches = Vec::new();
    for store in every_backend().await {
        for route in ROUTES {
            for (caller, expected) in CALLERS.iter().zip(route.expect) {
                let fixture = fixture(&store).await;
                let path = fixture.fill(route.path);
                let body: Option<Value> = route
                    .body
                    .map(|text| serde_json::from_str(&fixture.fill(text)).unwrap());
                let authorization = fixture.authorization(*caller);
                let headers: Vec<(&str, &str)> = authorization
                    .as_deref()
                    .map(|value| ("authorization", value))
                    .into_iter()
                    .collect();
                let (status, answer) =
                    send(&fixture.router, route.method, &path, &headers, body.as_ref()).await;
                if status.as_u16() != expected {
                    mismatches.push(format!(
                        "{:?} {} {} as {caller:?}: expected {expected}, got {status} {answer}",
                        store.backend(),
                        route.method,
                        route.path
                    ));
                }
                if status.is_client_error() || status.is_server_error() {
                    let detail = serde_json::from_str::<Value>(&answer)
                        .ok()
                        .and_then(|v| v["detail"].as_str().map(str::to_owned));
                    if detail.is_none() {
                        mismatches.push(format!(
                            "{} {} as {caller:?}: error without detail: {answer}",
                            route.method, route.path
                        ));
                    }
                }
            }
        }
    }
    assert!(mismatches.is_empty(), "\n{}", mismatches.join("\n"));
}
