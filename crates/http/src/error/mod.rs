//! The one error type of the API and its envelope (docs/api.md, Errors):
//! `{"error": {"code", "message", "details"}}` with `Content-Type: application/json`.

pub(crate) mod auth;
pub(crate) mod body;
pub(crate) mod details_schema;
pub(crate) mod domain;
pub(crate) mod validation;

use std::borrow::Cow;

use actix_web::http::header::{self, HeaderValue};
use actix_web::http::StatusCode;
use actix_web::{HttpResponse, HttpResponseBuilder, ResponseError};
use serde_json::{Map, Value};

use crate::error::auth::AuthError;
use crate::error::body::{ErrorBody, ErrorDetail};

/// Seconds a client should wait before retrying when the store is unavailable: about
/// one pool timeout, so a retry does not queue behind the requests that just failed.
pub(crate) const RETRY_AFTER_SECS: u32 = 5;

/// Seconds an organization over its bound should wait: its own requests in flight end
/// within about that, and a refused request costs the server almost nothing.
pub(crate) const BUSY_RETRY_AFTER_SECS: u32 = 1;

/// Every way a request can fail, each with exactly one status and code. (`405` is
/// answered by the router and given its envelope in `middleware::error_body`.)
#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    /// 400: input that cannot become a domain value; `field` names it.
    #[error("{field}: {message}")]
    Validation {
        field: Cow<'static, str>,
        message: String,
    },
    /// 401: no usable bearer token.
    #[error(transparent)]
    Unauthenticated(#[from] AuthError),
    /// 403
    #[error("{0}")]
    Forbidden(String),
    /// 404: missing and invisible alike.
    #[error("{0}")]
    NotFound(String),
    /// 409 with one of the three conflict codes.
    #[error("{message}")]
    Conflict { code: &'static str, message: String },
    /// 412
    #[error("{0}")]
    PreconditionFailed(String),
    /// 408: the body did not arrive in time; the connection is closed after the answer.
    #[error("the request body was not received within {} ms", limit.as_millis())]
    RequestTimeout { limit: std::time::Duration },
    /// 413
    #[error("request body exceeds {limit} bytes")]
    PayloadTooLarge { limit: usize },
    /// 415
    #[error("{0}")]
    UnsupportedMediaType(String),
    /// 429: the principal's organization has as many requests in flight or queued as it
    /// may (docs/fairness.md).
    #[error("too many requests of this organization are in flight, retry later")]
    TooManyRequests,
    /// 503: the store could not be reached in time. The cause was logged, not kept.
    #[error("the service is temporarily unavailable, retry later")]
    Unavailable,
    /// 500: the cause was logged where it happened; the client learns nothing of it.
    #[error("an internal error occurred")]
    Internal,
}

impl ApiError {
    pub(crate) fn validation(
        field: impl Into<Cow<'static, str>>,
        message: impl Into<String>,
    ) -> Self {
        Self::Validation {
            field: field.into(),
            message: message.into(),
        }
    }

    pub(crate) fn route_not_found() -> Self {
        Self::NotFound("no such route".to_owned())
    }

    pub(crate) fn code(&self) -> &'static str {
        match self {
            Self::Validation { .. } => "VALIDATION_ERROR",
            Self::Unauthenticated(_) => "UNAUTHENTICATED",
            Self::Forbidden(_) => "FORBIDDEN",
            Self::NotFound(_) => "NOT_FOUND",
            Self::Conflict { code, .. } => code,
            Self::PreconditionFailed(_) => "PRECONDITION_FAILED",
            Self::RequestTimeout { .. } => "REQUEST_TIMEOUT",
            Self::PayloadTooLarge { .. } => "PAYLOAD_TOO_LARGE",
            Self::UnsupportedMediaType(_) => "UNSUPPORTED_MEDIA_TYPE",
            Self::TooManyRequests => "TOO_MANY_REQUESTS",
            Self::Unavailable => "SERVICE_UNAVAILABLE",
            Self::Internal => "INTERNAL_ERROR",
        }
    }

    fn details(&self) -> Map<String, Value> {
        let mut details = Map::new();
        match self {
            Self::Validation { field, .. } => {
                details.insert("field".to_owned(), Value::from(field.as_ref()));
            }
            Self::PayloadTooLarge { limit } => {
                details.insert("limit_bytes".to_owned(), Value::from(*limit));
            }
            Self::RequestTimeout { limit } => {
                let millis = u64::try_from(limit.as_millis()).unwrap_or(u64::MAX);
                details.insert("limit_ms".to_owned(), Value::from(millis));
            }
            _ => {}
        }
        details
    }

    /// The envelope's content, also for the places that build a body of their own.
    pub(crate) fn detail(&self) -> ErrorDetail {
        ErrorDetail {
            code: self.code(),
            message: self.to_string(),
            details: self.details(),
        }
    }
}

impl ResponseError for ApiError {
    fn status_code(&self) -> StatusCode {
        match self {
            Self::Validation { .. } => StatusCode::BAD_REQUEST,
            Self::Unauthenticated(_) => StatusCode::UNAUTHORIZED,
            Self::Forbidden(_) => StatusCode::FORBIDDEN,
            Self::NotFound(_) => StatusCode::NOT_FOUND,
            Self::Conflict { .. } => StatusCode::CONFLICT,
            Self::PreconditionFailed(_) => StatusCode::PRECONDITION_FAILED,
            Self::RequestTimeout { .. } => StatusCode::REQUEST_TIMEOUT,
            Self::PayloadTooLarge { .. } => StatusCode::PAYLOAD_TOO_LARGE,
            Self::UnsupportedMediaType(_) => StatusCode::UNSUPPORTED_MEDIA_TYPE,
            Self::TooManyRequests => StatusCode::TOO_MANY_REQUESTS,
            Self::Unavailable => StatusCode::SERVICE_UNAVAILABLE,
            Self::Internal => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    fn error_response(&self) -> HttpResponse {
        let mut response = HttpResponseBuilder::new(self.status_code());
        match self {
            Self::Unauthenticated(auth) => {
                response.insert_header((header::WWW_AUTHENTICATE, auth.challenge()));
            }
            Self::Unavailable => {
                response.insert_header((header::RETRY_AFTER, HeaderValue::from(RETRY_AFTER_SECS)));
            }
            // The rest of the body may still be on its way: the connection cannot be
            // reused, and a slow client must not keep it.
            Self::RequestTimeout { .. } => {
                response.force_close();
            }
            Self::TooManyRequests => {
                let after = HeaderValue::from(BUSY_RETRY_AFTER_SECS);
                response.insert_header((header::RETRY_AFTER, after));
            }
            _ => {}
        }
        // `json` sets `Content-Type: application/json`, as docs/api.md promises.
        response.json(ErrorBody {
            error: self.detail(),
        })
    }
}
