//! Wiring: which routes exist, in which middleware, with which dependencies.

use std::sync::Arc;

use actix_web::body::MessageBody;
use actix_web::dev::{ServiceFactory, ServiceRequest, ServiceResponse};
use actix_web::middleware::from_fn;
use actix_web::{web, App, FromRequest, Handler, Resource, Responder};
use mtdb_ports::{HealthProbe, TenantService};

use crate::auth::verifier::TokenVerifier;
use crate::docs;
use crate::error::ApiError;
use crate::extract::consistency::PrimaryReads;
use crate::handlers::{health, tenants};
use crate::metrics::Metrics;
use crate::middleware::{access_log, error_body, request_id, unread_body};

/// Everything the HTTP layer needs from the outside, as ports: never a database type.
#[derive(Clone)]
pub struct ApiDeps {
    /// The use cases behind the five tenant endpoints; each call carries the
    /// authenticated principal, which the store enforces.
    pub service: Arc<dyn TenantService>,
    /// What `GET /health` asks whether the database answers (`503` when it does not).
    pub health: Arc<dyn HealthProbe>,
    /// Checks every bearer token before a tenant handler runs; a request it refuses
    /// gets `401` and reaches no port.
    pub verifier: Arc<TokenVerifier>,
    /// Where requests are counted, when metrics are on (served apart, see
    /// [`build_metrics_server`](crate::metrics::server::build_metrics_server)).
    pub metrics: Option<Arc<Metrics>>,
    /// The same use cases with every read on the primary, when `service` may read from
    /// a standby: what a `GET` or list with `Mtdb-Consistency: strong` uses
    /// (docs/replicas.md). `None`: every read is on the primary already.
    pub primary_reads: Option<Arc<dyn TenantService>>,
}

/// `GET` and `HEAD` to one handler, so that `HEAD` answers wherever `GET` does with the
/// same status and headers: the HTTP/1 encoder keeps a `HEAD` response's
/// `Content-Length` and drops its body (RFC 9110 section 9.3.2).
fn readable<F, Args>(resource: Resource, handler: F) -> Resource
where
    F: Handler<Args>,
    Args: FromRequest + 'static,
    F::Output: Responder + 'static,
{
    resource
        .route(web::get().to(handler.clone()))
        .route(web::head().to(handler))
}

/// The whole API as an actix `App`: used by [`build_server`](crate::server::build_server) and by
/// the tests alike.
pub fn app(
    deps: ApiDeps,
) -> App<
    impl ServiceFactory<
        ServiceRequest,
        Config = (),
        Response = ServiceResponse<impl MessageBody>,
        Error = actix_web::Error,
        InitError = (),
    >,
> {
    let mut app = App::new()
        .app_data(web::Data::from(deps.service))
        .app_data(web::Data::from(deps.health))
        .app_data(web::Data::from(deps.verifier));
    if let Some(primary) = deps.primary_reads {
        app = app.app_data(web::Data::new(PrimaryReads(primary)));
    }
    if let Some(metrics) = deps.metrics {
        app = app.app_data(web::Data::from(metrics));
    }
    app.service(
        readable(web::resource("/api/v1/tenants"), tenants::list)
            .route(web::post().to(tenants::create)),
    )
    .service(
        readable(web::resource("/api/v1/tenants/{tenant_id}"), tenants::get)
            .route(web::put().to(tenants::update))
            .route(web::delete().to(tenants::delete)),
    )
    .service(readable(web::resource("/health"), health::health))
    .service(readable(web::resource("/openapi.json"), docs::openapi_json))
    .service(readable(web::resource("/docs"), docs::docs_page))
    .service(readable(web::resource("/docs/assets/{file}"), docs::asset))
    // A wrong method on a known path gets actix's own 405 with a computed `Allow`
    // header (so it cannot drift from the routes above); `error_body` wraps it in
    // the documented error envelope. Unknown paths are ours to answer.
    .default_service(web::to(|| async {
        Err::<(), _>(ApiError::route_not_found())
    }))
    // The last `wrap` is the outermost: the request id exists before anything logs,
    // and every response, including the converted ones, carries it.
    .wrap(from_fn(error_body::ensure_json_errors))
    .wrap(from_fn(access_log::log_request))
    .wrap(from_fn(request_id::assign_request_id))
    // Outermost, so that its hold on the request body outlives every other layer's
    // rewrite of the response (see the module).
    .wrap(from_fn(unread_body::close_on_unread_body))
}
