use serde::Serialize;
use utoipa::ToSchema;

use crate::error::body::ErrorDetail;

/// `GET /health`.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct HealthResponse {
    pub status: HealthStatus,
    pub database: DatabaseState,
    /// RFC 3339, UTC.
    #[schema(format = DateTime, example = "2026-11-26T10:00:00.123456Z")]
    pub timestamp: String,
    /// The server's crate version.
    #[schema(example = "0.1.0")]
    pub version: &'static str,
    /// Only on `503`: the error envelope's detail, so that this answer, too, has the
    /// `error` member every 5xx carries (docs/api.md, Errors).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<ErrorDetail>,
}

/// Whether the service can answer requests that need the database.
#[derive(Debug, Clone, Copy, Serialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub(crate) enum HealthStatus {
    Healthy,
    Unhealthy,
}

/// Whether the database answered, with its schema in place.
#[derive(Debug, Clone, Copy, Serialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub(crate) enum DatabaseState {
    Connected,
    Disconnected,
}
