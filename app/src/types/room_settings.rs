crate::text_enum! {
    /// Whereby's room size: `normal` (up to 4 people on the free plan) or `group`.
    pub enum RoomMode as "room_mode" {
        Normal = "normal",
        Group = "group",
    }
}

crate::text_enum! {
    /// Where a meeting is recorded, if at all.
    pub enum RecordingType as "recording_type" {
        None = "none",
        Local = "local",
        Cloud = "cloud",
    }
}

crate::text_enum! {
    /// When a cloud recording starts.
    pub enum RecordingTrigger as "recording_trigger" {
        None = "none",
        Prompt = "prompt",
        Automatic = "automatic",
        AutomaticSecondParticipant = "automatic-2nd-participant",
    }
}

crate::text_enum! {
    /// Progress of a recording from announcement to our storage.
    pub enum RecordingStatus as "recording_status" {
        Pending = "pending",
        Processing = "processing",
        Completed = "completed",
        Failed = "failed",
    }
}
