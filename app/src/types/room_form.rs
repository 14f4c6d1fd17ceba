//! The room form's model and its per-platform rules (which fields show,
//! which values follow from others), kept apart from the view so they are
//! tested without a browser.

use super::room_name::{normalize_room_name_input, room_name_problem};
use super::{
    ApiError, CreateRoom, Platform, PlatformList, RecordingTrigger, RecordingType, Room, RoomMode,
    UpdateRoom, WebhookEvents,
};

/// Calendar sync intervals the form offers, in seconds.
pub const ICS_INTERVALS: &[(i64, &str)] = &[
    (60, "Every minute"),
    (300, "Every 5 minutes"),
    (600, "Every 10 minutes"),
    (1800, "Every 30 minutes"),
    (3600, "Every hour"),
];

#[derive(Debug, Clone, PartialEq)]
pub struct RoomDraft {
    pub name: String,
    pub platform: Platform,
    pub is_locked: bool,
    pub room_mode: RoomMode,
    pub recording_type: RecordingType,
    pub recording_trigger: RecordingTrigger,
    pub is_shared: bool,
    pub skip_consent: bool,
    pub store_video: bool,
    pub ics_enabled: bool,
    pub ics_url: String,
    pub ics_fetch_interval: i64,
    pub webhook_url: String,
    pub webhook_secret: String,
    pub webhook_events: WebhookEvents,
    pub fallback_platforms: PlatformList,
}

impl RoomDraft {
    /// A new room with Reflector's defaults on `platform`.
    pub fn new(platform: Platform) -> Self {
        let mut draft = RoomDraft {
            name: String::new(),
            platform,
            is_locked: false,
            room_mode: RoomMode::Normal,
            recording_type: RecordingType::Cloud,
            recording_trigger: RecordingTrigger::AutomaticSecondParticipant,
            is_shared: false,
            skip_consent: false,
            store_video: false,
            ics_enabled: false,
            ics_url: String::new(),
            ics_fetch_interval: 300,
            webhook_url: String::new(),
            webhook_secret: String::new(),
            webhook_events: WebhookEvents::every(),
            fallback_platforms: PlatformList::default(),
        };
        draft.set_platform(platform);
        draft
    }

    pub fn from_room(room: &Room) -> Self {
        RoomDraft {
            name: room.name.clone(),
            platform: room.platform,
            is_locked: room.is_locked,
            room_mode: room.room_mode,
            recording_type: room.recording_type,
            recording_trigger: room.recording_trigger,
            is_shared: room.is_shared,
            skip_consent: room.skip_consent,
            store_video: room.store_video,
            ics_enabled: room.ics_enabled,
            ics_url: room.ics_url.clone().unwrap_or_default(),
            ics_fetch_interval: room.ics_fetch_interval,
            webhook_url: room.webhook_url.clone().unwrap_or_default(),
            webhook_secret: room.webhook_secret.clone().unwrap_or_default(),
            webhook_events: room.webhook_events.clone(),
            fallback_platforms: room.fallback_platforms.clone(),
        }
    }

    /// What typing into the name field leaves in it.
    pub fn type_name(&mut self, typed: &str) {
        self.name = normalize_room_name_input(typed);
    }

    /// What the platform cannot choose follows from it: a room size where
    /// sizes are not chosen (group), a trigger where it follows from the
    /// recording type, no composed video where there is none.
    pub fn set_platform(&mut self, platform: Platform) {
        self.platform = platform;
        if !platform.capabilities().room_sizes {
            self.room_mode = RoomMode::Group;
        }
        self.derive_trigger();
    }

    pub fn set_recording_type(&mut self, recording_type: RecordingType) {
        self.recording_type = recording_type;
        self.derive_trigger();
        if recording_type != RecordingType::Cloud {
            self.skip_consent = false;
            self.store_video = false;
        }
    }

    fn derive_trigger(&mut self) {
        let cloud = self.recording_type == RecordingType::Cloud;
        let capabilities = self.platform.capabilities();
        if !capabilities.recording_trigger_choice {
            self.recording_trigger = if cloud {
                RecordingTrigger::AutomaticSecondParticipant
            } else {
                RecordingTrigger::None
            };
        } else if !cloud {
            self.recording_trigger = RecordingTrigger::None;
        }
        if !capabilities.composed_video {
            self.store_video = false;
        }
        if !capabilities.knocking {
            self.is_locked = false;
        }
    }

    pub fn shows_room_size(&self) -> bool {
        self.platform.capabilities().room_sizes
    }

    pub fn shows_trigger(&self) -> bool {
        self.recording_type == RecordingType::Cloud && self.platform.capabilities().recording_trigger_choice
    }

    pub fn shows_skip_consent(&self) -> bool {
        self.recording_type == RecordingType::Cloud
    }

    pub fn shows_store_video(&self) -> bool {
        self.recording_type == RecordingType::Cloud && self.platform.capabilities().composed_video
    }

    pub fn shows_locking(&self) -> bool {
        self.platform.capabilities().knocking
    }

    /// Why the form cannot be saved as it is, said for the person filling it.
    pub fn problem(&self) -> Option<String> {
        if let Some(problem) = room_name_problem(&self.name) {
            return Some(problem);
        }
        if self.ics_enabled && self.ics_url.trim().is_empty() {
            return Some("Calendar sync needs the calendar's ICS address".into());
        }
        None
    }

    /// The form's one fallback choice: a platform name, or "" for the
    /// server's own (`FALLBACK_VIDEO_PLATFORMS`).
    pub fn fallback_choice(&self) -> String {
        self.fallback_platforms
            .platforms()
            .first()
            .map(|platform| platform.as_str().to_owned())
            .unwrap_or_default()
    }

    pub fn set_fallback_choice(&mut self, choice: &str) {
        self.fallback_platforms = PlatformList::new(choice.parse::<Platform>().ok());
    }

    pub fn to_create(&self) -> CreateRoom {
        CreateRoom {
            name: self.name.clone(),
            zulip_auto_post: false,
            zulip_stream: String::new(),
            zulip_topic: String::new(),
            is_locked: self.is_locked,
            room_mode: self.room_mode,
            recording_type: self.recording_type,
            recording_trigger: self.recording_trigger,
            is_shared: self.is_shared,
            webhook_url: Some(self.webhook_url.clone()),
            webhook_secret: Some(self.webhook_secret.clone()),
            webhook_events: self.webhook_events.clone(),
            ics_url: Some(self.ics_url.clone()),
            ics_fetch_interval: self.ics_fetch_interval,
            ics_enabled: self.ics_enabled,
            platform: Some(self.platform),
            skip_consent: self.skip_consent,
            email_transcript_to: None,
            store_video: self.store_video,
            fallback_platforms: self.fallback_platforms.clone(),
        }
    }

    /// Every field the form shows; fields it does not show (Zulip, e-mail)
    /// are left as they are.
    pub fn to_update(&self) -> UpdateRoom {
        UpdateRoom {
            name: Some(self.name.clone()),
            is_locked: Some(self.is_locked),
            room_mode: Some(self.room_mode),
            recording_type: Some(self.recording_type),
            recording_trigger: Some(self.recording_trigger),
            is_shared: Some(self.is_shared),
            webhook_url: Some(Some(self.webhook_url.clone())),
            webhook_secret: Some(Some(self.webhook_secret.clone())),
            webhook_events: Some(self.webhook_events.clone()),
            ics_url: Some(Some(self.ics_url.clone())),
            ics_fetch_interval: Some(self.ics_fetch_interval),
            ics_enabled: Some(self.ics_enabled),
            platform: Some(self.platform),
            skip_consent: Some(self.skip_consent),
            store_video: Some(self.store_video),
            fallback_platforms: Some(self.fallback_platforms.clone()),
            ..UpdateRoom::default()
        }
    }
}

/// The sentence shown when saving failed: a taken name said plainly, the
/// server's own explanation otherwise.
pub fn save_error_message(error: &ApiError) -> String {
    if error.has_code(super::error_codes::ROOM_NAME_TAKEN) {
        return "This room name is already taken. Please choose a different name.".into();
    }
    match error.detail.strip_prefix("name: ") {
        Some(problem) => problem.to_owned(),
        None => error.detail.clone(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn daily_rooms_are_group_sized_with_a_derived_trigger() {
        let mut draft = RoomDraft::new(Platform::Whereby);
        draft.set_platform(Platform::Daily);
        assert_eq!(draft.room_mode, RoomMode::Group);
        assert_eq!(
            draft.recording_trigger,
            RecordingTrigger::AutomaticSecondParticipant
        );
        assert!(!draft.shows_room_size());
        assert!(!draft.shows_trigger());
        draft.set_recording_type(RecordingType::Local);
        assert_eq!(draft.recording_trigger, RecordingTrigger::None);
        assert!(!draft.shows_skip_consent());
    }

    #[test]
    fn whereby_offers_a_trigger_only_for_cloud_recording() {
        let mut draft = RoomDraft::new(Platform::Whereby);
        assert!(draft.shows_room_size() && draft.shows_trigger() && draft.shows_skip_consent());
        draft.recording_trigger = RecordingTrigger::Prompt;
        draft.skip_consent = true;
        draft.set_recording_type(RecordingType::None);
        assert_eq!(draft.recording_trigger, RecordingTrigger::None);
        assert!(
            !draft.skip_consent,
            "skip-consent means nothing without cloud recording"
        );
        assert!(!draft.shows_trigger());
    }

    #[test]
    fn the_fallback_choice_is_one_platform_or_the_servers() {
        let mut draft = RoomDraft::new(Platform::Daily);
        assert_eq!(draft.fallback_choice(), "");
        draft.set_fallback_choice("whereby");
        assert_eq!(draft.fallback_choice(), "whereby");
        assert_eq!(
            draft.to_create().fallback_platforms.platforms(),
            [Platform::Whereby]
        );
        draft.set_fallback_choice("");
        assert!(draft.to_update().fallback_platforms.unwrap().is_empty());
    }

    #[test]
    fn store_video_is_a_daily_cloud_setting() {
        let mut draft = RoomDraft::new(Platform::Daily);
        assert!(draft.shows_store_video());
        draft.store_video = true;
        draft.set_platform(Platform::Whereby);
        assert!(!draft.store_video && !draft.shows_store_video());
    }

    #[test]
    fn names_are_typed_into_shape_and_checked() {
        let mut draft = RoomDraft::new(Platform::Daily);
        draft.type_name("Team Standup!");
        assert_eq!(draft.name, "team-standup");
        assert_eq!(draft.problem(), None);
        draft.type_name("rooms");
        assert!(draft.problem().unwrap().contains("reserved"));
        draft.type_name("ok");
        draft.ics_enabled = true;
        assert!(draft.problem().unwrap().contains("ICS"));
    }

    #[test]
    fn save_errors_read_well() {
        let taken = ApiError {
            status: 400,
            detail: "Room name is not unique".into(),
            code: Some(crate::types::error_codes::ROOM_NAME_TAKEN.into()),
        };
        assert!(save_error_message(&taken).contains("already taken"));
        let same_words_without_the_code = ApiError { code: None, ..taken };
        assert_eq!(
            save_error_message(&same_words_without_the_code),
            "Room name is not unique"
        );
        let invalid = ApiError {
            status: 422,
            detail: "name: 'login' is reserved by the app; choose another name".into(),
            code: None,
        };
        assert!(save_error_message(&invalid).starts_with("'login' is reserved"));
    }

    #[test]
    fn a_room_round_trips_through_the_form() {
        let room = RoomDraft::new(Platform::Daily).to_create();
        assert_eq!(room.platform, Some(Platform::Daily));
        assert_eq!(room.room_mode, RoomMode::Group);
    }
}
