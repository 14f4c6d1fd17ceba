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
