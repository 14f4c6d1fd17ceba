use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// `GET /v1/me`: who the caller is (`sub` is our user id).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Me {
    pub sub: String,
    pub email: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct LoginRequest {
    pub email: String,
    pub password: String,
}

/// `POST /v1/auth/login`: a bearer token for the API.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct LoginResponse {
    pub access_token: String,
    pub token_type: String,
    pub expires_in: i64,
}

/// An API key as listed to its owner: never the key itself, which is stored
/// only as a keyed hash.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))]
pub struct ApiKey {
    pub id: String,
    pub user_id: String,
    pub name: Option<String>,
    pub created_at: DateTime<Utc>,
}

/// A newly created API key: the only time its plaintext `key` is shown.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct CreatedApiKey {
    #[serde(flatten)]
    pub info: ApiKey,
    pub key: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct CreateApiKey {
    /// Something to tell the key by: not blank, at most 200 characters.
    #[serde(default)]
    #[cfg_attr(feature = "ssr", schema(pattern = "\\S", max_length = 200))]
    pub name: Option<String>,
}
