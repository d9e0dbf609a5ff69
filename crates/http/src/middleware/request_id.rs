use actix_web::body::MessageBody;
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::header::{HeaderName, HeaderValue};
use actix_web::middleware::Next;
use actix_web::{Error, HttpMessage};
use tracing::Instrument;
use uuid::Uuid;

pub(crate) const X_REQUEST_ID: HeaderName = HeaderName::from_static("x-request-id");

/// Longest client-sent request id that is echoed; longer ones are replaced.
const MAX_LEN: usize = 128;

/// The id of one request, in the request's extensions for whoever logs.
#[derive(Debug, Clone)]
pub(crate) struct RequestId(pub String);

/// Takes the client's `X-Request-Id` when it is sane, else makes a UUID v4; runs the
/// request inside a span that carries it and puts it on the response, whatever the
/// status.
pub(crate) async fn assign_request_id(
    req: ServiceRequest,
    next: Next<impl MessageBody>,
) -> Result<ServiceResponse<impl MessageBody>, Error> {
    let id = req
        .headers()
        .get(X_REQUEST_ID)
        .and_then(|value| sane(value.as_bytes()))
        .unwrap_or_else(|| Uuid::new_v4().to_string());
    req.extensions_mut().insert(RequestId(id.clone()));
    let span = tracing::info_span!("request", request_id = %id);
    let mut response = next.call(req).instrument(span).await?;
    if let Ok(value) = HeaderValue::from_str(&id) {
        response.headers_mut().insert(X_REQUEST_ID, value);
    }
    Ok(response)
}

/// 1 to 128 visible ASCII characters: anything else could forge or break log lines.
fn sane(raw: &[u8]) -> Option<String> {
    let visible = |b: &u8| b.is_ascii_graphic();
    if raw.is_empty() || raw.len() > MAX_LEN || !raw.iter().all(visible) {
        return None;
    }
    String::from_utf8(raw.to_vec()).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn echoes_only_short_visible_ascii() {
        assert_eq!(sane(b"req-42").as_deref(), Some("req-42"));
        assert!(sane(&[b'a'; 128]).is_some());
        assert!(sane(&[b'a'; 129]).is_none());
        assert!(sane(b"").is_none());
        assert!(sane(b"has space").is_none());
        assert!(sane(b"tab\there").is_none());
        assert!(sane("é".as_bytes()).is_none());
    }
}
