crate::text_enum! {
    /// The video platform that hosts a room's meetings.
    pub enum Platform as "platform" {
        Whereby = "whereby",
        Daily = "daily",
        /// A LiveKit server (or OpenVidu 3, which speaks LiveKit's API).
        LiveKit = "livekit",
        /// Self-hosted Jitsi Meet with token authentication, or 8x8 JaaS.
        Jitsi = "jitsi",
        /// In-process fake for tests and local development; selectable only
        /// when the server enables it.
        Mock = "mock",
    }
}

/// What a platform can do for a room: the room form offers only these, the
/// API refuses settings a platform cannot honour, and the jobs ask only
/// for what a platform has.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Capabilities {
    /// Records to the cloud, for us to store.
    pub cloud_recording: bool,
    /// Records one audio track per participant (named speakers).
    pub raw_tracks: bool,
    /// Also records a composed video (`store_video`).
    pub composed_video: bool,
    /// The room's size is chosen (`room_mode`); otherwise always group-sized.
    pub room_sizes: bool,
    /// When recording starts is chosen; otherwise it follows from the type.
    pub recording_trigger_choice: bool,
    /// Can be asked who is in a room right now.
    pub presence_api: bool,
    /// Tells us of joins, leaves and recordings by webhook.
    pub webhooks: bool,
    /// Gives the owner a host URL of their own.
    pub host_url: bool,
    /// Locked rooms make people knock (`is_locked`).
    pub knocking: bool,
    /// Shows the server's room logo.
    pub logo: bool,
}

impl Platform {
    pub const fn capabilities(self) -> Capabilities {
        match self {
            Platform::Whereby => Capabilities {
                cloud_recording: true,
                raw_tracks: false,
                composed_video: false,
                room_sizes: true,
                recording_trigger_choice: true,
                presence_api: true,
                webhooks: true,
                host_url: true,
                knocking: true,
                logo: true,
            },
            Platform::Daily => Capabilities {
                cloud_recording: true,
                raw_tracks: true,
                composed_video: true,
                room_sizes: false,
                recording_trigger_choice: false,
                presence_api: true,
                webhooks: true,
                host_url: false,
                knocking: true,
                logo: false,
            },
            // Rooms and presence over Twirp; each participant's audio is
            // recorded by the track egress as soon as they publish it.
            Platform::LiveKit => Capabilities {
                cloud_recording: true,
                raw_tracks: true,
                composed_video: false,
                room_sizes: true,
                recording_trigger_choice: false,
                presence_api: true,
                webhooks: true,
                host_url: false,
                knocking: false,
                logo: false,
            },
            // No API to create rooms or ask who is in them: a room exists
            // once someone opens it with a token we signed. The moderator
            // records from Jitsi's own controls; JaaS delivers the file and
            // the joins and leaves by webhook.
            Platform::Jitsi => Capabilities {
                cloud_recording: true,
                raw_tracks: false,
                composed_video: false,
                room_sizes: false,
                recording_trigger_choice: false,
                presence_api: false,
                webhooks: true,
                host_url: false,
                knocking: false,
                logo: false,
            },
            // Made up on the spot: it "has" whatever keeps tests honest.
            Platform::Mock => Capabilities {
                cloud_recording: true,
                raw_tracks: false,
                composed_video: false,
                room_sizes: true,
                recording_trigger_choice: true,
                presence_api: true,
                webhooks: false,
                host_url: true,
                knocking: true,
                logo: false,
            },
        }
    }

    pub const fn label(self) -> &'static str {
        match self {
            Platform::Whereby => "Whereby",
            Platform::Daily => "Daily.co",
            Platform::LiveKit => "LiveKit",
            Platform::Jitsi => "Jitsi Meet",
            Platform::Mock => "Mock (development)",
        }
    }
}

/// Platforms in order of preference (a room's fallbacks). Stored as
/// `whereby,daily` ('' for none).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PlatformList(Vec<Platform>);

impl PlatformList {
    /// The platforms in order, each once.
    pub fn new(platforms: impl IntoIterator<Item = Platform>) -> Self {
        let mut list = Vec::new();
        for platform in platforms {
            if !list.contains(&platform) {
                list.push(platform);
            }
        }
        PlatformList(list)
    }

    pub fn platforms(&self) -> &[Platform] {
        &self.0
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub fn to_column(&self) -> String {
        self.0.iter().map(|p| p.as_str()).collect::<Vec<_>>().join(",")
    }
}

impl TryFrom<String> for PlatformList {
    type Error = super::UnknownVariant;

    fn try_from(column: String) -> Result<Self, Self::Error> {
        let platforms = column
            .split(',')
            .filter(|name| !name.is_empty())
            .map(str::parse)
            .collect::<Result<Vec<Platform>, _>>()?;
        Ok(PlatformList::new(platforms))
    }
}

impl serde::Serialize for PlatformList {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.0.serialize(serializer)
    }
}

impl<'de> serde::Deserialize<'de> for PlatformList {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        Ok(PlatformList::new(Vec::<Platform>::deserialize(deserializer)?))
    }
}

#[cfg(feature = "ssr")]
impl utoipa::PartialSchema for PlatformList {
    fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
        utoipa::openapi::schema::ArrayBuilder::new()
            .items(<Platform as utoipa::PartialSchema>::schema())
            .description(Some("Platforms in order of preference"))
            .into()
    }
}

#[cfg(feature = "ssr")]
impl utoipa::ToSchema for PlatformList {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_platform_list_keeps_order_and_drops_repeats() {
        let list = PlatformList::try_from("daily,whereby,daily".to_owned()).unwrap();
        assert_eq!(list.platforms(), [Platform::Daily, Platform::Whereby]);
        assert_eq!(list.to_column(), "daily,whereby");
        assert!(PlatformList::try_from(String::new()).unwrap().is_empty());
        assert!(PlatformList::try_from("zoom".to_owned()).is_err());
    }
}
