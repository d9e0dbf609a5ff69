//! A JSON request body: content type checked (415), size bounded before and while
//! reading (413), time bounded (408), parsed as a JSON object (400), then built into a
//! DTO that names every bad field.

use std::future::Future;
use std::pin::Pin;

use crate::error::ApiError;
use crate::extract::fields::JsonObject;
use crate::extract::strict_json;
use crate::settings::HttpSettings;
use actix_web::body::{to_bytes_limited, BodyStream};
use actix_web::dev::Payload;
use actix_web::http::header::{HeaderMap, CONTENT_ENCODING, CONTENT_LENGTH};
use actix_web::rt::time::timeout;
use actix_web::{web, FromRequest, HttpMessage, HttpRequest};

/// Largest request body accepted, in bytes: 256 KiB.
pub(crate) const MAX_BODY_BYTES: usize = 256 * 1024;

/// A DTO that can be built from a JSON object, naming the field of any failure.
pub(crate) trait FromJsonObject: Sized {
    /// # Errors
    /// `400 VALIDATION_ERROR` with `details.field` for an unknown, missing or mistyped
    /// field.
    fn from_json_object(object: JsonObject) -> Result<Self, ApiError>;
}

/// A request body read as `T`.
pub(crate) struct JsonBody<T>(pub T);

impl<T: FromJsonObject + 'static> FromRequest for JsonBody<T> {
    type Error = ApiError;
    type Future = Pin<Box<dyn Future<Output = Result<Self, ApiError>>>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let checked = check_headers(req);
        let stream = BodyStream::new(payload.take());
        // Without it (apps built for tests) the default holds.
        let limit = req
            .app_data::<web::Data<HttpSettings>>()
            .map_or(HttpSettings::DEFAULT_BODY_TIMEOUT, |s| s.body_timeout);
        Box::pin(async move {
            checked?;
            // The declared length was checked above; this bounds the bytes actually
            // streamed, which is what counts for chunked or lying requests. The clock
            // bounds how long a client may hold a worker's attention with a slow body.
            let bytes = timeout(limit, to_bytes_limited(stream, MAX_BODY_BYTES))
                .await
                .map_err(|_| ApiError::RequestTimeout { limit })?
                .map_err(|_| too_large())?
                .map_err(|err| {
                    tracing::info!(error = %err, "request body could not be read");
                    ApiError::validation("body", "the request body could not be read")
                })?;
            let object = JsonObject::new(strict_json::parse(&bytes)?)?;
            T::from_json_object(object).map(Self)
        })
    }
}

/// Everything that can be refused before reading a byte of the body.
fn check_headers(req: &HttpRequest) -> Result<(), ApiError> {
    let is_json = match req.mime_type() {
        Ok(Some(mime)) => {
            mime.type_() == "application"
                && (mime.subtype() == "json" || mime.suffix().is_some_and(|s| s == "json"))
        }
        Ok(None) | Err(_) => false,
    };
    if !is_json {
        return Err(ApiError::UnsupportedMediaType(
            "the request body must be application/json".to_owned(),
        ));
    }
    // Compressed bodies are refused (RFC 7694 uses 415 for this) rather than inflated:
    // the size limit must hold for what is parsed, and a small gzip can inflate a lot.
    if let Some(encoding) = req.headers().get(CONTENT_ENCODING) {
        if !encoding.as_bytes().eq_ignore_ascii_case(b"identity") {
            return Err(ApiError::UnsupportedMediaType(
                "compressed request bodies are not supported".to_owned(),
            ));
        }
    }
    match declared_length(req.headers()) {
        Some(length) if length > MAX_BODY_BYTES as u64 => Err(too_large()),
        _ => Ok(()),
    }
}

/// The `Content-Length` a request declares, when it is one number.
pub(crate) fn declared_length(headers: &HeaderMap) -> Option<u64> {
    headers
        .get(CONTENT_LENGTH)
        .and_then(|value| value.to_str().ok())
        .and_then(|value| value.trim().parse::<u64>().ok())
}

fn too_large() -> ApiError {
    ApiError::PayloadTooLarge {
        limit: MAX_BODY_BYTES,
    }
}
