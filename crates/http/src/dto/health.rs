use serde::Serialize;
use utoipa::ToSchema;

use super::ErrorDetail;

/// `GET /health`.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct HealthResponse {
    /// `healthy` or `unhealthy`.
    #[schema(example = "healthy")]
    pub status: &'static str,
    /// `connected` or `disconnected`.
    #[schema(example = "connected")]
    pub database: &'static str,
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
