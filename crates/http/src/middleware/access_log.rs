use std::time::Instant;

use actix_web::body::MessageBody;
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::middleware::Next;
use actix_web::{web, Error, HttpMessage};

use super::request_id::RequestId;
use crate::auth::extractor::principal_label;
use crate::metrics::Metrics;

/// One `info` line per request: request id, principal, method, route pattern (never the
/// raw path with its ids), status and latency. Headers are not logged at all, so the
/// `Authorization` header cannot leak. With metrics on, the same measurement is counted.
pub(crate) async fn log_request(
    req: ServiceRequest,
    next: Next<impl MessageBody>,
) -> Result<ServiceResponse<impl MessageBody>, Error> {
    let started = Instant::now();
    let method = req.method().clone();
    let response = next.call(req).await?;
    let latency = started.elapsed().as_secs_f64();
    let request = response.request();
    let route = request.match_pattern();
    let status = response.status().as_u16();
    if let Some(metrics) = request.app_data::<web::Data<Metrics>>() {
        metrics.observe(method.as_str(), route.as_deref(), status, latency);
    }
    let request_id = request
        .extensions()
        .get::<RequestId>()
        .map_or_else(|| "-".to_owned(), |id| id.0.clone());
    tracing::info!(
        request_id = %request_id,
        principal = %principal_label(request),
        method = %method,
        route = route.as_deref().unwrap_or("-"),
        status,
        latency_ms = latency * 1000.0,
        "request"
    );
    Ok(response)
}
