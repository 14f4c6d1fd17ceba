use async_trait::async_trait;

use super::{JoinAs, MeetingData, MeetingRequest, PlatformError, SessionData, VideoPlatform};
use crate::types::{Meeting, Platform};

/// An in-process platform for tests and local development: meetings are
/// made up on the spot and point at this server's own placeholder call page.
pub struct MockPlatform {
    base_url: String,
}

impl MockPlatform {
    pub fn new(base_url: &str) -> Self {
        MockPlatform {
            base_url: base_url.trim_end_matches('/').to_owned(),
        }
    }
}

#[async_trait]
impl VideoPlatform for MockPlatform {
    fn platform(&self) -> Platform {
        Platform::Mock
    }

    async fn create_meeting(&self, request: &MeetingRequest) -> Result<MeetingData, PlatformError> {
        let id = uuid::Uuid::new_v4().to_string();
        let room_name = format!("{}-{}", request.room.name, &id[..8]);
        let room_url = format!("{}/mock-call/{room_name}", self.base_url);
        Ok(MeetingData {
            meeting_id: id,
            host_room_url: format!("{room_url}?host=1"),
            room_name,
            room_url,
        })
    }

    async fn room_sessions(&self, _room_name: &str) -> Result<Vec<SessionData>, PlatformError> {
        Ok(Vec::new())
    }

    async fn upload_logo(&self, _room_name: &str, _image: &[u8]) -> Result<bool, PlatformError> {
        Ok(false)
    }

    async fn join_url(&self, meeting: &Meeting, who: &JoinAs) -> Result<String, PlatformError> {
        Ok(if who.is_owner {
            meeting.host_room_url.clone()
        } else {
            meeting.room_url.clone()
        })
    }
}
