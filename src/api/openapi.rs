//! The `/v1` API's OpenAPI 3.1 document: what `utoipa` gathers from the
//! handlers' `#[utoipa::path]` and the types' `ToSchema`, plus what every
//! operation shares (security schemes, the error answers any request can
//! get), under the `/v1` prefix the server mounts the API at.

use app::server::error::ErrorBody;
use utoipa::openapi::path::{Operation, PathItem};
use utoipa::openapi::response::ResponseBuilder;
use utoipa::openapi::security::{ApiKey, ApiKeyValue, HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::openapi::{ContentBuilder, InfoBuilder, OpenApi, OpenApiBuilder, Ref, RefOr};
use utoipa::{PartialSchema, ToSchema};

pub const PREFIX: &str = "/v1";

/// The finished document: `paths` of the routes, prefixed with `/v1`.
pub fn document(routes: OpenApi) -> OpenApi {
    let info = InfoBuilder::new()
        .title("Reflector Rooms API")
        .version(env!("CARGO_PKG_VERSION"))
        .description(Some(
            "Rooms, meetings, recordings and the platforms' webhooks. Paths and JSON shapes follow \
             Monadical's Reflector, so its clients keep working. Every error answer is \
             `{\"detail\": \"…\"}` (with a stable `code` for refusals a client acts on).",
        ))
        .build();
    let mut api = OpenApiBuilder::new().info(info).build().nest(PREFIX, routes);
    let components = api.components.get_or_insert_with(Default::default);
    components.add_security_scheme(
        "bearer",
        SecurityScheme::Http(
            HttpBuilder::new()
                .scheme(HttpAuthScheme::Bearer)
                .description(Some(
                    "A token from POST /v1/auth/login (or the identity provider)",
                ))
                .build(),
        ),
    );
    components.add_security_scheme(
        "api_key",
        SecurityScheme::ApiKey(ApiKey::Header(ApiKeyValue::with_description(
            "X-API-Key",
            "A key from POST /v1/user/api-keys",
        ))),
    );
    components
        .schemas
        .insert(ErrorBody::name().into_owned(), ErrorBody::schema());
    for item in api.paths.paths.values_mut() {
        for operation in operations(item) {
            add_shared_errors(operation);
        }
    }
    api
}

/// The document as served. utoipa 5.5 writes a link's fields in Rust's
/// spelling (`operation_id`); OpenAPI spells them `operationId`,
/// `operationRef`, `requestBody`, and clients following links read those.
pub fn published(api: &OpenApi) -> serde_json::Value {
    let mut document = serde_json::to_value(api).expect("the OpenAPI document serializes");
    if let Some(paths) = document["paths"].as_object_mut() {
        for item in paths.values_mut() {
            for operation in item
                .as_object_mut()
                .into_iter()
                .flat_map(|item| item.values_mut())
            {
                let Some(responses) = operation["responses"].as_object_mut() else {
                    continue;
                };
                for response in responses.values_mut() {
                    let Some(links) = response.get_mut("links").and_then(|links| links.as_object_mut())
                    else {
                        continue;
                    };
                    for link in links.values_mut().filter_map(|link| link.as_object_mut()) {
                        for (rust, openapi) in [
                            ("operation_id", "operationId"),
                            ("operation_ref", "operationRef"),
                            ("request_body", "requestBody"),
                        ] {
                            if let Some(value) = link.remove(rust) {
                                link.insert(openapi.to_owned(), value);
                            }
                        }
                    }
                }
            }
        }
    }
    document
}

fn operations(item: &mut PathItem) -> impl Iterator<Item = &mut Operation> {
    [
        item.get.as_mut(),
        item.post.as_mut(),
        item.put.as_mut(),
        item.patch.as_mut(),
        item.delete.as_mut(),
    ]
    .into_iter()
    .flatten()
}

/// The refusals any request can meet before its handler decides anything:
/// bad credentials, a body or input that does not fit, a body too large, the
/// database away for a moment.
fn add_shared_errors(operation: &mut Operation) {
    let mut shared = vec![
        ("400", "The request could not be read"),
        ("401", "The credentials sent are not valid"),
        ("413", "The request body is larger than the server accepts"),
        ("422", "A parameter or the body does not fit"),
        ("503", "The server cannot answer right now; try again"),
    ];
    if operation.request_body.is_some() {
        shared.push(("415", "The body is not sent as application/json"));
    }
    for (status, description) in shared {
        operation
            .responses
            .responses
            .entry(status.to_owned())
            .or_insert_with(|| error_response(description));
    }
}

fn error_response(description: &str) -> RefOr<utoipa::openapi::Response> {
    ResponseBuilder::new()
        .description(description)
        .content(
            "application/json",
            ContentBuilder::new()
                .schema(Some(Ref::from_schema_name(ErrorBody::name())))
                .build(),
        )
        .build()
        .into()
}
