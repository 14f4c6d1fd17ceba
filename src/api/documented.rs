//! The only way a route joins the `/v1` API: with its OpenAPI operation.
//! `utoipa_axum`'s router also has a plain `route` that serves a path the
//! document never mentions; this wrapper offers only what keeps the two
//! together, so the document cannot drift from the routes.

use axum::extract::Request;
use axum::response::IntoResponse;
use axum::routing::Route;
use axum::Router;
use std::convert::Infallible;
use tower::{Layer, Service};
use utoipa::openapi::OpenApi;
use utoipa_axum::router::{OpenApiRouter, UtoipaMethodRouter};

pub struct Documented<S: Clone + Send + Sync + 'static>(OpenApiRouter<S>);

impl<S: Clone + Send + Sync + 'static> Documented<S> {
    pub fn new() -> Self {
        Documented(OpenApiRouter::with_openapi(OpenApi::default()))
    }

    /// Serves the handlers of one path (made by `utoipa_axum::routes!`) and
    /// documents them.
    pub fn routes(self, routes: UtoipaMethodRouter<S>) -> Self {
        Documented(self.0.routes(routes))
    }

    pub fn layer<L>(self, layer: L) -> Self
    where
        L: Layer<Route> + Clone + Send + Sync + 'static,
        L::Service: Service<Request> + Clone + Send + Sync + 'static,
        <L::Service as Service<Request>>::Response: IntoResponse + 'static,
        <L::Service as Service<Request>>::Error: Into<Infallible> + 'static,
        <L::Service as Service<Request>>::Future: Send + 'static,
    {
        Documented(self.0.layer(layer))
    }

    pub fn merge(self, other: Documented<S>) -> Self {
        Documented(self.0.merge(other.0))
    }

    /// The routes, and the document of exactly those routes.
    pub fn finish(self) -> (Router<S>, OpenApi) {
        self.0.split_for_parts()
    }
}
