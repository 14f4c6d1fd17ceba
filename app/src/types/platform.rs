crate::text_enum! {
    /// The video platform that hosts a room's meetings.
    pub enum Platform as "platform" {
        Whereby = "whereby",
        Daily = "daily",
        /// In-process fake for tests and local development; selectable only
        /// when the server enables it.
        Mock = "mock",
    }
}

impl Platform {
    pub const fn label(self) -> &'static str {
        match self {
            Platform::Whereby => "Whereby",
            Platform::Daily => "Daily.co",
            Platform::Mock => "Mock (development)",
        }
    }
}
