//! The error envelope, in the documented key order (docs/api.md, Errors), and its OpenAPI schema.

use serde::Serialize;
use serde_json::{Map, Value};
use utoipa::ToSchema;

use crate::error::details_schema::ErrorDetailsSchema;

/// `{"error": {"code", "message", "details"}}`, the body of every 4xx and 5xx.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct ErrorBody {
    pub error: ErrorDetail,
}

#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct ErrorDetail {
    /// A stable code such as `VALIDATION_ERROR` or `NOT_FOUND`.
    #[schema(example = "VALIDATION_ERROR")]
    pub code: &'static str,
    #[schema(example = "name: must not be blank")]
    pub message: String,
    /// `{"field": ...}` for validation errors, `{}` when there is nothing to add.
    #[schema(value_type = ErrorDetailsSchema, example = json!({"field": "name"}))]
    pub details: Map<String, Value>,
}
