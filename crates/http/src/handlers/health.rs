use actix_web::http::header::{self, HeaderValue};
use actix_web::{web, HttpResponse};
use chrono::Utc;
use mtdb_domain::ErrorChain;
use mtdb_ports::HealthProbe;

use crate::dto::health::{DatabaseState, HealthResponse, HealthStatus};
use crate::dto::tenant::timestamp;
use crate::error::{ApiError, RETRY_AFTER_SECS};

#[utoipa::path(
    get, path = "/health", tag = "health", operation_id = "health",
    summary = "Liveness of the service and its database",
    description = "No authentication. `200` when the database answers and its schema is in place; \
        `503` with `Retry-After` when it is unreachable or the schema is missing (reverted).",
    responses(
        (status = 200, description = "The database is reachable", body = HealthResponse),
        (status = 503, description = "The database is unreachable; also carries the error envelope", body = HealthResponse),
    ),
)]
#[tracing::instrument(name = "health", skip_all)]
pub(crate) async fn health(probe: web::Data<dyn HealthProbe>) -> HttpResponse {
    let timestamp = timestamp(Utc::now());
    let version = env!("CARGO_PKG_VERSION");
    match probe.check().await {
        Ok(()) => HttpResponse::Ok().json(HealthResponse {
            status: HealthStatus::Healthy,
            database: DatabaseState::Connected,
            timestamp,
            version,
            error: None,
        }),
        Err(err) => {
            // The one log line of this failure: the probe only classifies it.
            tracing::warn!(error.cause_chain = %ErrorChain(&err), "health check failed");
            HttpResponse::ServiceUnavailable()
                .insert_header((header::RETRY_AFTER, HeaderValue::from(RETRY_AFTER_SECS)))
                .json(HealthResponse {
                    status: HealthStatus::Unhealthy,
                    database: DatabaseState::Disconnected,
                    timestamp,
                    version,
                    error: Some(ApiError::Unavailable.detail()),
                })
        }
    }
}
