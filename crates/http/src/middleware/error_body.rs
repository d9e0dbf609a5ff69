//! The backstop for errors that actix answers itself (a wrong method gets its `405`
//! with a computed `Allow` header, for instance) with an empty or plain-text body: each
//! gets the documented JSON envelope, keeping its status and headers.

use actix_web::body::{BoxBody, MessageBody};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::header::{self, ContentType};
use actix_web::http::StatusCode;
use actix_web::middleware::Next;
use actix_web::{Error, HttpResponse};
use serde_json::Map;

use crate::error::body::{ErrorBody, ErrorDetail};

pub(crate) async fn ensure_json_errors(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<BoxBody>, Error> {
    // Handlers' and extractors' errors arrive here already rendered as responses
    // (actix does that per route), so an `Err` would be a bug in the framework. The
    // request must not be cloned before routing: the router needs it unshared.
    let response = next.call(req).await?.map_into_boxed_body();
    if !needs_envelope(&response) {
        return Ok(response);
    }
    let (request, original) = response.into_parts();
    Ok(ServiceResponse::new(request, with_envelope(&original)))
}

fn needs_envelope(response: &ServiceResponse<BoxBody>) -> bool {
    let status = response.status();
    let is_json = response
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|value| value.to_str().ok())
        .is_some_and(|value| value.starts_with("application/json"));
    (status.is_client_error() || status.is_server_error()) && !is_json
}

fn with_envelope(original: &HttpResponse) -> HttpResponse {
    let status = original.status();
    let (code, message) = describe(status);
    let body = ErrorBody {
        error: ErrorDetail {
            code,
            message: message.to_owned(),
            details: Map::new(),
        },
    };
    let mut fresh = HttpResponse::build(status)
        .content_type(ContentType::json())
        .json(body);
    for name in [header::ALLOW, header::WWW_AUTHENTICATE, header::RETRY_AFTER] {
        if let Some(value) = original.headers().get(&name) {
            fresh.headers_mut().insert(name, value.clone());
        }
    }
    fresh
}

fn describe(status: StatusCode) -> (&'static str, &'static str) {
    match status {
        StatusCode::NOT_FOUND => ("NOT_FOUND", "no such route"),
        StatusCode::METHOD_NOT_ALLOWED => ("METHOD_NOT_ALLOWED", "method not allowed"),
        StatusCode::PAYLOAD_TOO_LARGE => ("PAYLOAD_TOO_LARGE", "request body too large"),
        StatusCode::UNSUPPORTED_MEDIA_TYPE => ("UNSUPPORTED_MEDIA_TYPE", "unsupported media type"),
        StatusCode::UNAUTHORIZED => ("UNAUTHENTICATED", "authentication required"),
        StatusCode::FORBIDDEN => ("FORBIDDEN", "forbidden"),
        StatusCode::SERVICE_UNAVAILABLE => ("SERVICE_UNAVAILABLE", "service unavailable"),
        status if status.is_server_error() => ("INTERNAL_ERROR", "an internal error occurred"),
        _ => ("VALIDATION_ERROR", "the request is invalid"),
    }
}
