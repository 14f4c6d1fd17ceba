//! The REST API's extractors: axum's, with every rejection answered in the
//! API's error shape (`{"detail"}` as JSON) instead of axum's plain text.

use app::server::{nul_text, AppError};
use axum::extract::rejection::JsonRejection;
use axum::extract::{FromRequest, FromRequestParts, Request};
use axum::http::request::Parts;
use axum::response::{IntoResponse, Response};
use serde::de::DeserializeOwned;

/// A JSON request body whose rejections answer in the API's error shape:
/// 422 for a body that does not fit (naming the field), 400 for one that is
/// not JSON at all, 415 without a JSON content type.
pub struct ApiJson<T>(pub T);

impl<T, S> FromRequest<S> for ApiJson<T>
where
    T: DeserializeOwned,
    S: Send + Sync,
{
    type Rejection = Response;

    async fn from_request(request: Request, state: &S) -> Result<Self, Self::Rejection> {
        let (parts, body) = request.into_parts();
        let bytes =
            match axum::body::Bytes::from_request(Request::from_parts(parts.clone(), body), state).await {
                Ok(bytes) => bytes,
                Err(rejection) if rejection.status() == axum::http::StatusCode::PAYLOAD_TOO_LARGE => {
                    return Err(AppError::TooLarge(rejection.body_text()).into_response())
                }
                Err(rejection) => return Err(AppError::BadRequest(rejection.body_text()).into_response()),
            };
        let has_nul = nul_text::json_has_nul(&bytes);
        // Every body of this API is an object; serde would also read a
        // struct from an array of its fields (`[]` as "all defaults").
        let is_object = bytes.iter().find(|byte| !byte.is_ascii_whitespace()) == Some(&b'{');
        let request = Request::from_parts(parts, axum::body::Body::from(bytes));
        match axum::Json::<T>::from_request(request, state).await {
            Ok(_) if has_nul => Err(nul_text::refusal().into_response()),
            Ok(_) if !is_object => {
                Err(AppError::Unprocessable("The body must be a JSON object".into()).into_response())
            }
            Ok(axum::Json(value)) => Ok(ApiJson(value)),
            Err(rejection) => Err(rejection_response(rejection)),
        }
    }
}

fn rejection_response(rejection: JsonRejection) -> Response {
    let error =
        match rejection {
            JsonRejection::JsonDataError(error) => AppError::Unprocessable(error.body_text()),
            JsonRejection::JsonSyntaxError(error) => AppError::BadRequest(error.body_text()),
            JsonRejection::MissingJsonContentType(_) => return (
                axum::http::StatusCode::UNSUPPORTED_MEDIA_TYPE,
                axum::Json(
                    serde_json::json!({ "detail": "Expected a JSON body (Content-Type: application/json)" }),
                ),
            )
                .into_response(),
            other if other.status() == axum::http::StatusCode::PAYLOAD_TOO_LARGE => {
                AppError::TooLarge(other.body_text())
            }
            other => AppError::BadRequest(other.body_text()),
        };
    error.into_response()
}

/// A query string; one that does not fit answers 422 naming the problem.
pub struct ApiQuery<T>(pub T);

impl<T, S> FromRequestParts<S> for ApiQuery<T>
where
    T: DeserializeOwned,
    S: Send + Sync,
{
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        if parts
            .uri
            .query()
            .is_some_and(|query| nul_text::percent_encoded_has_nul(query.as_bytes()))
        {
            return Err(nul_text::refusal());
        }
        axum::extract::Query::<T>::from_request_parts(parts, state)
            .await
            .map(|axum::extract::Query(value)| ApiQuery(value))
            .map_err(|rejection| AppError::Unprocessable(rejection.body_text()))
    }
}

/// Path parameters; ones that cannot be read (not UTF-8) answer 400.
pub struct ApiPath<T>(pub T);

impl<T, S> FromRequestParts<S> for ApiPath<T>
where
    T: DeserializeOwned + Send,
    S: Send + Sync,
{
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        if nul_text::percent_encoded_has_nul(parts.uri.path().as_bytes()) {
            return Err(nul_text::refusal());
        }
        axum::extract::Path::<T>::from_request_parts(parts, state)
            .await
            .map(|axum::extract::Path(value)| ApiPath(value))
            .map_err(|rejection| AppError::BadRequest(rejection.body_text()))
    }
}
