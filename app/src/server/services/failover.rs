//! Creating a meeting when the room's platform may be down: the room's
//! platform first, then the fallbacks (`FALLBACK_VIDEO_PLATFORMS`, in order,
//! those this server can use). Only the platform's own failures move on to
//! the next (unreachable, too slow, 5xx); a refusal of what we asked (4xx,
//! missing credentials) is a configuration error and is shown as such. A
//! platform that just failed is skipped for a cool-down. The meeting says
//! where it really runs, which platform it failed over from and why.

use std::sync::Arc;

use crate::server::platforms::{is_outage, MeetingData, MeetingRequest, PlatformError, VideoPlatform};
use crate::server::{AppError, AppState};
use crate::types::{Failover, Platform, Room};

/// The platform the meeting was made on, its client and answer, and the
/// failover when it is not the room's own.
pub struct Created {
    pub platform: Platform,
    pub client: Arc<dyn VideoPlatform>,
    pub data: MeetingData,
    pub failover: Option<Failover>,
}

/// The room's platform, then its fallbacks (the room's own, else the
/// server's) that this server can use.
pub fn platforms_to_try(state: &AppState, room: &Room, platform: Platform) -> Vec<Platform> {
    let fallbacks = if room.fallback_platforms.is_empty() {
        &state.settings.fallback_video_platforms[..]
    } else {
        room.fallback_platforms.platforms()
    };
    let usable = fallbacks
        .iter()
        .copied()
        .filter(|fallback| *fallback != platform && state.platforms.is_configured(*fallback));
    std::iter::once(platform).chain(usable).collect()
}

pub async fn create_on_available_platform(
    state: &AppState,
    platform: Platform,
    request: &MeetingRequest,
) -> Result<Created, AppError> {
    let health = &state.platform_health;
    // The first platform that could not be used, and why: what the meeting
    // (or the error) reports.
    let mut first_failure: Option<(Platform, String, Option<PlatformError>)> = None;
    for candidate in platforms_to_try(state, &request.room, platform) {
        if let Some(reason) = health.skipped(candidate) {
            first_failure.get_or_insert((candidate, reason, None));
            continue;
        }
        let client = state.platforms.client(candidate)?;
        match client.create_meeting(request).await {
            Ok(data) => {
                health.succeeded(candidate);
                let failover = first_failure
                    .filter(|_| candidate != platform)
                    .map(|(from, reason, _)| Failover { from, reason });
                if let Some(failover) = &failover {
                    tracing::warn!(room = %request.room.name, from = %failover.from, to = %candidate,
                        reason = %failover.reason, "meeting failed over to another platform");
                }
                return Ok(Created {
                    platform: candidate,
                    client,
                    data,
                    failover,
                });
            }
            Err(error) if is_outage(&error) => {
                health.failed(candidate, error.to_string());
                first_failure.get_or_insert((candidate, error.to_string(), Some(error)));
            }
            Err(error) => return Err(error.into()),
        }
    }
    Err(match first_failure {
        // The platform's own error, as without fallbacks.
        Some((_, _, Some(error))) => error.into(),
        Some((from, reason, None)) => {
            AppError::Unavailable(format!("{} is unavailable right now: {reason}", from.label()))
        }
        None => AppError::Unavailable("No video platform is available".into()),
    })
}
