//! `Expect: 100-continue` answered by us. actix's own handler says `100 Continue` to
//! every request, which invites a client to send a body that is then refused; here a
//! declared `Content-Length` over the limit gets its `413` instead, and the body is
//! never asked for.

use actix_http::{ConnectionType, Request, Response};
use actix_web::body::BoxBody;
use actix_web::http::header::HeaderValue;
use actix_web::ResponseError;
use uuid::Uuid;

use crate::error::ApiError;
use crate::extract::body::{declared_length, MAX_BODY_BYTES};
use crate::middleware::request_id::X_REQUEST_ID;

/// Passes the request on (and actix sends `100 Continue`) unless its declared length
/// is over the limit: then the `413` envelope, and the connection is closed since the
/// client may still send the body.
pub(super) async fn refuse_oversized(req: Request) -> Result<Request, Response<BoxBody>> {
    let declared = match declared_length(&req.head().headers) {
        Some(length) if length > MAX_BODY_BYTES as u64 => length,
        _ => return Ok(req),
    };
    // No middleware runs before this point: log and tag the answer here.
    let request_id = Uuid::new_v4().to_string();
    tracing::info!(
        request_id = %request_id,
        method = %req.method(),
        declared,
        status = 413,
        "request refused before 100 Continue"
    );
    let mut response = ApiError::PayloadTooLarge {
        limit: MAX_BODY_BYTES,
    }
    .error_response();
    if let Ok(value) = HeaderValue::from_str(&request_id) {
        response.headers_mut().insert(X_REQUEST_ID, value);
    }
    response
        .head_mut()
        .set_connection_type(ConnectionType::Close);
    Err(response.into())
}
