//! Daily's raw-tracks bucket (`daily-tracks`) on loopback, as an
//! S3-compatible GET of each participant's track.

use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

/// Settings pointing the server at `bucket` as Daily's raw-tracks bucket.
pub fn daily_bucket_settings(bucket: &MockServer) -> Vec<(String, String)> {
    [
        ("AWS_DAILY_S3_BUCKET", "daily-tracks".to_owned()),
        ("AWS_DAILY_S3_ENDPOINT", bucket.uri()),
        ("AWS_DAILY_ACCESS_KEY_ID", "AKIDEXAMPLE".to_owned()),
        ("AWS_DAILY_ACCESS_KEY_SECRET", "daily-bucket-secret".to_owned()),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_owned(), v))
    .collect()
}

pub async fn daily_bucket(tracks: &[(&str, Vec<u8>)]) -> MockServer {
    let bucket = MockServer::start().await;
    for (key, bytes) in tracks {
        Mock::given(method("GET"))
            .and(path(format!("/daily-tracks/{key}")))
            .respond_with(
                ResponseTemplate::new(200)
                    .insert_header("etag", "\"t\"")
                    .insert_header("last-modified", "Mon, 30 Nov 2026 10:00:00 GMT")
                    .set_body_bytes(bytes.clone()),
            )
            .mount(&bucket)
            .await;
    }
    bucket
}
