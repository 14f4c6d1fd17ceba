//! The one HTTP client for URLs our users give us (calendar feeds, room
//! webhooks): only http and https; never to this machine or a private
//! network unless `ALLOW_PRIVATE_NETWORK_URLS` says so, checked on the very
//! addresses the connection uses (so a name that resolves differently a
//! moment later — DNS rebinding — gets nowhere) and again on every redirect;
//! bounded in time and in size.

use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::sync::{Arc, OnceLock};
use std::time::Duration;

use futures_util::StreamExt;
use ipnet::IpNet;
use reqwest::dns::{Addrs, Name, Resolve, Resolving};
use reqwest::header::{
    HeaderMap, HeaderValue, ETAG, IF_MODIFIED_SINCE, IF_NONE_MATCH, LAST_MODIFIED, USER_AGENT,
};
use reqwest::{redirect, StatusCode, Url};

const AGENT: &str = concat!("ReflectorRooms/", env!("CARGO_PKG_VERSION"));
const MAX_REDIRECTS: usize = 5;

/// Which addresses a user's URL may reach.
#[derive(Clone)]
pub struct AddressPolicy(Arc<dyn Fn(IpAddr) -> bool + Send + Sync>);

impl AddressPolicy {
    /// Public addresses only, or any with `allow_private`.
    pub fn from_setting(allow_private: bool) -> Self {
        AddressPolicy(Arc::new(move |ip| allow_private || is_public(ip)))
    }

    /// Any rule (tests use one that calls some loopback addresses public).
    pub fn custom(rule: impl Fn(IpAddr) -> bool + Send + Sync + 'static) -> Self {
        AddressPolicy(Arc::new(rule))
    }

    pub fn allows(&self, ip: IpAddr) -> bool {
        (self.0)(ip)
    }
}

/// Why a user's URL gave nothing usable, in words for that user.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FetchError {
    #[error("{0}")]
    Refused(String),
    #[error("the server did not answer within {0} seconds")]
    Timeout(u64),
    #[error("the server could not be reached: {0}")]
    Unreachable(String),
    #[error("the answer is larger than {0} bytes")]
    TooLarge(usize),
    #[error("the server answered {0}")]
    Status(u16),
}

/// What a conditional fetch brought back.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Fetched {
    /// The resource is as it was (304).
    Unchanged,
    Body {
        bytes: Vec<u8>,
        etag: Option<String>,
        last_modified: Option<String>,
    },
}

/// Validators of the copy we have, for a conditional request.
#[derive(Debug, Clone, Default)]
pub struct Validators<'a> {
    pub etag: Option<&'a str>,
    pub last_modified: Option<&'a str>,
}

pub struct UserUrls {
    policy: AddressPolicy,
    timeout: Duration,
    max_bytes: usize,
    following: OnceLock<reqwest::Client>,
    not_following: OnceLock<reqwest::Client>,
}

impl UserUrls {
    pub fn new(policy: AddressPolicy, timeout: Duration, max_bytes: usize) -> Self {
        UserUrls {
            policy,
            timeout,
            max_bytes,
            following: OnceLock::new(),
            not_following: OnceLock::new(),
        }
    }

    /// Checks a URL before any request: scheme, and the host when it is an
    /// address (names are checked when resolved).
    pub fn check(&self, url: &str) -> Result<Url, FetchError> {
        let url = Url::parse(url).map_err(|error| FetchError::Refused(format!("not a URL: {error}")))?;
        check_url(&self.policy, &url)?;
        Ok(url)
    }

    /// GET `url`, following redirects (each checked), with the validators
    /// of our copy so an unchanged resource costs a 304.
    pub async fn get(&self, url: &str, ours: &Validators<'_>) -> Result<Fetched, FetchError> {
        let url = self.check(url)?;
        let mut request = self.client(true).get(url);
        if let Some(etag) = ours.etag {
            request = request.header(IF_NONE_MATCH, etag);
        }
        if let Some(modified) = ours.last_modified {
            request = request.header(IF_MODIFIED_SINCE, modified);
        }
        let response = request
            .send()
            .await
            .map_err(|error| self.transport_error(error))?;
        let status = response.status();
        if status == StatusCode::NOT_MODIFIED {
            return Ok(Fetched::Unchanged);
        }
        if !status.is_success() {
            return Err(FetchError::Status(status.as_u16()));
        }
        let header = |name| {
            response
                .headers()
                .get(name)
                .and_then(|value: &HeaderValue| value.to_str().ok())
                .map(str::to_owned)
        };
        let (etag, last_modified) = (header(ETAG), header(LAST_MODIFIED));
        let bytes = self.read_body(response).await?;
        Ok(Fetched::Body {
            bytes,
            etag,
            last_modified,
        })
    }

    /// POST `body` to `url` without following redirects, all within
    /// `timeout`; answers the status, the response's first bytes and how
    /// long it took.
    pub async fn post(
        &self,
        url: &str,
        headers: HeaderMap,
        body: Vec<u8>,
        timeout: Duration,
    ) -> Result<Posted, FetchError> {
        let url = self.check(url)?;
        let started = std::time::Instant::now();
        let sent = async {
            let response = self
                .client(false)
                .post(url)
                .headers(headers)
                .body(body)
                .send()
                .await
                .map_err(|error| self.transport_error(error))?;
            let status = response.status().as_u16();
            let retry_after = response
                .headers()
                .get(reqwest::header::RETRY_AFTER)
                .and_then(|value| value.to_str().ok())
                .and_then(retry_after_seconds);
            let preview = self.read_preview(response).await;
            Ok::<_, FetchError>((status, retry_after, preview))
        };
        let (status, retry_after, preview) = tokio::time::timeout(timeout, sent)
            .await
            .map_err(|_| FetchError::Timeout(timeout.as_secs()))??;
        Ok(Posted {
            status,
            preview,
            retry_after_seconds: retry_after,
            elapsed: started.elapsed(),
        })
    }

    fn client(&self, follow_redirects: bool) -> &reqwest::Client {
        let cell = if follow_redirects {
            &self.following
        } else {
            &self.not_following
        };
        cell.get_or_init(|| {
            let policy = self.policy.clone();
            let redirects = if follow_redirects {
                redirect::Policy::custom(move |attempt| {
                    if attempt.previous().len() >= MAX_REDIRECTS {
                        return attempt.error(FetchError::Refused("too many redirects".into()));
                    }
                    match check_url(&policy, attempt.url()) {
                        Ok(()) => attempt.follow(),
                        Err(refused) => attempt.error(refused),
                    }
                })
            } else {
                redirect::Policy::none()
            };
            let mut headers = HeaderMap::new();
            headers.insert(USER_AGENT, HeaderValue::from_static(AGENT));
            reqwest::Client::builder()
                .dns_resolver(Arc::new(CheckedResolver(self.policy.clone())))
                .redirect(redirects)
                .default_headers(headers)
                .timeout(self.timeout)
                .connect_timeout(self.timeout.min(Duration::from_secs(10)))
                .build()
                .unwrap_or_default()
        })
    }

    async fn read_body(&self, response: reqwest::Response) -> Result<Vec<u8>, FetchError> {
        if response
            .content_length()
            .is_some_and(|length| length > self.max_bytes as u64)
        {
            return Err(FetchError::TooLarge(self.max_bytes));
        }
        let mut body = Vec::new();
        let mut stream = response.bytes_stream();
        while let Some(chunk) = stream.next().await {
            let chunk = chunk.map_err(|error| self.transport_error(error))?;
            if body.len() + chunk.len() > self.max_bytes {
                return Err(FetchError::TooLarge(self.max_bytes));
            }
            body.extend_from_slice(&chunk);
        }
        Ok(body)
    }

    /// Up to 1 KB of the answer, as text; whatever the answer does after that
    /// (or fails to do) does not matter.
    async fn read_preview(&self, response: reqwest::Response) -> String {
        const PREVIEW: usize = 1024;
        let mut bytes = Vec::new();
        let mut stream = response.bytes_stream();
        while bytes.len() < PREVIEW {
            match stream.next().await {
                Some(Ok(chunk)) => bytes.extend_from_slice(&chunk),
                _ => break,
            }
        }
        bytes.truncate(PREVIEW);
        // Kept in the database, where PostgreSQL refuses NUL characters.
        String::from_utf8_lossy(&bytes).replace('\0', "")
    }

    fn transport_error(&self, error: reqwest::Error) -> FetchError {
        if let Some(refused) = find_cause::<FetchError>(&error) {
            return refused.clone();
        }
        if error.is_timeout() {
            return FetchError::Timeout(self.timeout.as_secs());
        }
        if error.is_redirect() {
            return FetchError::Refused("too many redirects".into());
        }
        let mut text = error.to_string();
        if let Some(url) = error.url() {
            text = text.replace(url.as_str(), url.host_str().unwrap_or(""));
        }
        let mut cause = std::error::Error::source(&error);
        while let Some(inner) = cause {
            text = format!("{text}: {inner}");
            cause = inner.source();
        }
        FetchError::Unreachable(text)
    }
}

/// `Retry-After`: seconds, or an HTTP date (seconds from now; 0 if past).
fn retry_after_seconds(value: &str) -> Option<u64> {
    let value = value.trim();
    if let Ok(seconds) = value.parse::<u64>() {
        return Some(seconds);
    }
    let at = httpdate::parse_http_date(value).ok()?;
    Some(
        at.duration_since(std::time::SystemTime::now())
            .map(|wait| wait.as_secs())
            .unwrap_or(0),
    )
}

/// A POST's outcome.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Posted {
    pub status: u16,
    pub preview: String,
    pub retry_after_seconds: Option<u64>,
    pub elapsed: Duration,
}

fn find_cause<'a, T: std::error::Error + 'static>(
    error: &'a (dyn std::error::Error + 'static),
) -> Option<&'a T> {
    let mut cause = Some(error);
    while let Some(current) = cause {
        if let Some(found) = current.downcast_ref::<T>() {
            return Some(found);
        }
        cause = current.source();
    }
    None
}

fn check_url(policy: &AddressPolicy, url: &Url) -> Result<(), FetchError> {
    if !matches!(url.scheme(), "http" | "https") {
        return Err(FetchError::Refused(format!(
            "only http and https URLs are fetched, not {}:",
            url.scheme()
        )));
    }
    let literal = match url.host() {
        Some(url::Host::Ipv4(ip)) => Some(IpAddr::V4(ip)),
        Some(url::Host::Ipv6(ip)) => Some(IpAddr::V6(ip)),
        Some(url::Host::Domain(_)) => None,
        None => return Err(FetchError::Refused("the URL has no host".into())),
    };
    match literal {
        Some(ip) if !policy.allows(ip) => Err(private_address(ip)),
        _ => Ok(()),
    }
}

fn private_address(ip: IpAddr) -> FetchError {
    FetchError::Refused(format!(
        "{ip} is on this machine or a private network (set ALLOW_PRIVATE_NETWORK_URLS=true to allow it)"
    ))
}

/// Resolves names as the system does, then keeps only allowed addresses: the
/// connection is made to exactly those.
struct CheckedResolver(AddressPolicy);

impl Resolve for CheckedResolver {
    fn resolve(&self, name: Name) -> Resolving {
        let policy = self.0.clone();
        Box::pin(async move {
            let host = name.as_str().to_owned();
            let resolved: Vec<SocketAddr> = tokio::net::lookup_host((host.as_str(), 0)).await?.collect();
            let allowed: Vec<SocketAddr> = resolved
                .iter()
                .copied()
                .filter(|address| policy.allows(address.ip()))
                .collect();
            if allowed.is_empty() {
                let refusal = match resolved.first() {
                    Some(address) => FetchError::Refused(format!(
                        "{host} resolves to {}, which is on this machine or a private network \
                         (set ALLOW_PRIVATE_NETWORK_URLS=true to allow it)",
                        address.ip()
                    )),
                    None => FetchError::Unreachable(format!("{host} has no address")),
                };
                return Err(Box::new(refusal) as Box<dyn std::error::Error + Send + Sync>);
            }
            Ok(Box::new(allowed.into_iter()) as Addrs)
        })
    }
}

/// Networks no user URL may reach: this machine, private and shared
/// networks, link-local (cloud metadata at 169.254.169.254), unique-local,
/// multicast, reserved and documentation ranges.
fn blocked_networks() -> &'static [IpNet] {
    static BLOCKED: OnceLock<Vec<IpNet>> = OnceLock::new();
    BLOCKED.get_or_init(|| {
        [
            "0.0.0.0/8",
            "10.0.0.0/8",
            "100.64.0.0/10",
            "127.0.0.0/8",
            "169.254.0.0/16",
            "172.16.0.0/12",
            "192.0.0.0/24",
            "192.0.2.0/24",
            "192.168.0.0/16",
            "198.18.0.0/15",
            "198.51.100.0/24",
            "203.0.113.0/24",
            "224.0.0.0/4",
            "240.0.0.0/4",
            "::/128",
            "::1/128",
            "100::/64",
            "2001:db8::/32",
            "fc00::/7",
            "fe80::/10",
            "ff00::/8",
        ]
        .iter()
        .map(|network| network.parse().expect("valid network"))
        .collect()
    })
}

/// Whether `ip` is an address on the public internet.
pub fn is_public(ip: IpAddr) -> bool {
    let ip = match ip {
        // An IPv6 address that carries an IPv4 one (mapped, NAT64, 6to4)
        // reaches that IPv4 address.
        IpAddr::V6(v6) => match embedded_ipv4(v6) {
            Some(v4) => IpAddr::V4(v4),
            None => IpAddr::V6(v6),
        },
        v4 => v4,
    };
    !blocked_networks().iter().any(|network| network.contains(&ip))
}

fn embedded_ipv4(v6: std::net::Ipv6Addr) -> Option<Ipv4Addr> {
    if let Some(v4) = v6.to_ipv4_mapped() {
        return Some(v4);
    }
    let segments = v6.segments();
    let octets = v6.octets();
    if segments[0] == 0x64 && segments[1] == 0xff9b && segments[2..6] == [0, 0, 0, 0] {
        return Some(Ipv4Addr::new(octets[12], octets[13], octets[14], octets[15]));
    }
    if segments[0] == 0x2002 {
        return Some(Ipv4Addr::new(octets[2], octets[3], octets[4], octets[5]));
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_public_addresses_are_public() {
        for private in [
            "127.0.0.1",
            "127.1.2.3",
            "10.1.2.3",
            "172.16.0.1",
            "172.31.255.255",
            "192.168.1.1",
            "169.254.169.254",
            "100.64.0.1",
            "0.0.0.0",
            "224.0.0.1",
            "255.255.255.255",
            "::1",
            "::",
            "fd00::1",
            "fe80::1",
            "ff02::1",
            "::ffff:127.0.0.1",
            "::ffff:169.254.169.254",
            "64:ff9b::a00:1",
            "2002:7f00:1::",
        ] {
            assert!(!is_public(private.parse().unwrap()), "{private}");
        }
        for public in [
            "93.184.216.34",
            "8.8.8.8",
            "172.32.0.1",
            "2606:4700:4700::1111",
            "::ffff:8.8.8.8",
        ] {
            assert!(is_public(public.parse().unwrap()), "{public}");
        }
    }

    #[test]
    fn urls_are_checked_before_any_request() {
        let urls = UserUrls::new(
            AddressPolicy::from_setting(false),
            Duration::from_secs(5),
            1 << 20,
        );
        for refused in [
            "file:///etc/passwd",
            "gopher://example.com/",
            "http://127.0.0.1/x",
            "http://[::1]:8080/",
            "http://10.0.0.5/",
            "http://169.254.169.254/latest/meta-data/",
            "http://0x7f000001/",
            "not a url",
        ] {
            assert!(
                matches!(urls.check(refused), Err(FetchError::Refused(_))),
                "{refused}"
            );
        }
        assert!(urls.check("https://calendar.example.com/feed.ics").is_ok());
        let open = UserUrls::new(AddressPolicy::from_setting(true), Duration::from_secs(5), 1 << 20);
        assert!(open.check("http://127.0.0.1:8080/feed.ics").is_ok());
        assert!(open.check("ftp://127.0.0.1/").is_err(), "the scheme rule stays");
    }
}
