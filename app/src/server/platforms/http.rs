use std::time::Duration;

use reqwest::{Method, RequestBuilder, Response, StatusCode};
use serde::de::DeserializeOwned;
use serde_json::Value;

use super::PlatformError;
use crate::server::secret::Secret;
use crate::types::Platform;

const ATTEMPTS: u32 = 3;
const FIRST_BACKOFF: Duration = Duration::from_millis(250);
const MAX_BACKOFF: Duration = Duration::from_secs(2);

/// Which failures a call may retry: only ones that cannot have changed
/// anything twice (a rate-limited request was not processed; a failed GET
/// changed nothing).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Retry {
    Never,
    RateLimited,
    RateLimitedOrServerError,
}

/// A platform's REST API: base URL, bearer key, timeout, bounded retries and
/// error bodies turned into [`PlatformError`]s.
pub struct ApiClient {
    platform: Platform,
    base_url: String,
    /// Sent as a bearer token; platforms that sign a token per call
    /// (LiveKit) have none and add their own.
    api_key: Option<Secret>,
    http: reqwest::Client,
}

impl ApiClient {
    pub fn new(platform: Platform, base_url: &str, api_key: Option<Secret>, timeout: Duration) -> Self {
        let http = reqwest::Client::builder()
            .timeout(timeout)
            .build()
            .expect("HTTP client");
        ApiClient {
            platform,
            base_url: base_url.trim_end_matches('/').to_owned(),
            api_key,
            http,
        }
    }

    pub fn request(&self, method: Method, path: &str) -> RequestBuilder {
        let request = self.http.request(method, format!("{}{path}", self.base_url));
        match &self.api_key {
            Some(key) => request.bearer_auth(key.expose()),
            None => request,
        }
    }

    /// Sends a JSON request (or none) and decodes the JSON answer.
    pub async fn json<T: DeserializeOwned>(
        &self,
        method: Method,
        path: &str,
        body: Option<&Value>,
        retry: Retry,
    ) -> Result<T, PlatformError> {
        let response = self
            .send(retry, || {
                let request = self.request(method.clone(), path);
                match body {
                    Some(body) => request.json(body),
                    None => request,
                }
            })
            .await?;
        let bytes = response
            .bytes()
            .await
            .map_err(|error| self.transport_error(error))?;
        let bytes = if bytes.is_empty() { "{}".into() } else { bytes };
        serde_json::from_slice(&bytes)
            .map_err(|error| PlatformError::BadResponse(self.platform, error.to_string()))
    }

    /// Sends the request `build` makes, retrying as `retry` allows; any
    /// answer outside 2xx becomes an error.
    pub async fn send(
        &self,
        retry: Retry,
        build: impl Fn() -> RequestBuilder,
    ) -> Result<Response, PlatformError> {
        let mut backoff = FIRST_BACKOFF;
        let mut attempt = 1;
        loop {
            let outcome = build().send().await;
            let retryable = match &outcome {
                Ok(response) => {
                    let status = response.status();
                    (status == StatusCode::TOO_MANY_REQUESTS && retry != Retry::Never)
                        || (status.is_server_error() && retry == Retry::RateLimitedOrServerError)
                }
                Err(error) => {
                    retry == Retry::RateLimitedOrServerError && (error.is_timeout() || error.is_connect())
                }
            };
            if retryable && attempt < ATTEMPTS {
                let wait = outcome
                    .as_ref()
                    .ok()
                    .and_then(retry_after)
                    .unwrap_or(backoff)
                    .min(MAX_BACKOFF);
                tokio::time::sleep(wait).await;
                backoff = (backoff * 2).min(MAX_BACKOFF);
                attempt += 1;
                continue;
            }
            let response = outcome.map_err(|error| self.transport_error(error))?;
            if response.status().is_success() {
                return Ok(response);
            }
            return Err(self.status_error(response).await);
        }
    }

    fn transport_error(&self, error: reqwest::Error) -> PlatformError {
        if error.is_timeout() {
            PlatformError::Timeout(self.platform)
        } else if error.is_decode() || error.is_body() {
            PlatformError::BadResponse(self.platform, error.to_string())
        } else {
            PlatformError::Unreachable(self.platform, without_url(&error))
        }
    }

    async fn status_error(&self, response: Response) -> PlatformError {
        let status = response.status().as_u16();
        let text = response.text().await.unwrap_or_default();
        let parsed: Option<Value> = serde_json::from_str(&text).ok();
        let field = |name: &str| {
            parsed
                .as_ref()
                .and_then(|body| body.get(name))
                .and_then(Value::as_str)
                .map(str::to_owned)
        };
        // Daily: error/info; Whereby: message; LiveKit (Twirp): code/msg.
        let kind = field("error").or_else(|| field("code"));
        let message = field("info")
            .or_else(|| field("message"))
            .or_else(|| field("msg"))
            .or_else(|| kind.clone())
            .unwrap_or_else(|| text.chars().take(300).collect());
        PlatformError::Upstream {
            platform: self.platform,
            status,
            kind,
            message,
        }
    }
}

fn retry_after(response: &Response) -> Option<Duration> {
    let seconds: f64 = response
        .headers()
        .get("retry-after")?
        .to_str()
        .ok()?
        .trim()
        .parse()
        .ok()?;
    (seconds >= 0.0).then(|| Duration::from_secs_f64(seconds))
}

/// reqwest errors name the URL; ours can carry room names, not keys, but
/// keep messages short and free of query strings all the same.
fn without_url(error: &reqwest::Error) -> String {
    let mut text = error.to_string();
    if let Some(url) = error.url() {
        text = text.replace(url.as_str(), url.path());
    }
    text
}
