use std::time::Instant;

use actix_web::body::MessageBody;
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::middleware::Next;
use actix_web::{Error, HttpMessage};

use super::request_id::RequestId;
use crate::auth::principal_label;

/// One `info` line per request: request id, principal, method, route pattern (never the
/// raw path with its ids), status and latency. Headers are not logged at all, so the
/// `Authorization` header cannot leak.
pub(crate) async fn log_request(
    req: ServiceRequest,
    next: Next<impl MessageBody>,
) -> Result<ServiceResponse<impl MessageBody>, Error> {
    let started = Instant::now();
    let method = req.method().clone();
    let response = next.call(req).await?;
    let latency_ms = started.elapsed().as_secs_f64() * 1000.0;
    let request = response.request();
    let request_id = request
        .extensions()
        .get::<RequestId>()
        .map_or_else(|| "-".to_owned(), |id| id.0.clone());
    tracing::info!(
        request_id = %request_id,
        principal = %principal_label(request),
        method = %method,
        route = %request.match_pattern().unwrap_or_else(|| "-".to_owned()),
        status = response.status().as_u16(),
        latency_ms,
        "request"
    );
    Ok(response)
}
