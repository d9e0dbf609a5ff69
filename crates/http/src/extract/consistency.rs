//! `Mtdb-Consistency` on `GET` and the list: which service a read goes to
//! (docs/replicas.md). Without the header, reads may be served by a standby within the
//! configured lag; `strong` sends them to the primary, so a client sees its own writes.
//! The value is compared exactly, as the OpenAPI enum says: any other value (`Strong`
//! included) is a `400`, so that a typo never silently gives a weaker read.

use std::future::{ready, Ready};
use std::sync::Arc;

use actix_web::dev::Payload;
use actix_web::{web, FromRequest, HttpRequest};
use mtdb_ports::TenantService;

use crate::error::ApiError;

/// The header's name.
pub(crate) const HEADER: &str = "Mtdb-Consistency";

/// The service over the primary only, registered when reads may go elsewhere.
pub(crate) struct PrimaryReads(pub Arc<dyn TenantService>);

/// The service a read goes to, as the request's consistency header chose.
pub(crate) struct ReadService(pub Arc<dyn TenantService>);

impl std::ops::Deref for ReadService {
    type Target = dyn TenantService;

    fn deref(&self) -> &Self::Target {
        self.0.as_ref()
    }
}

impl FromRequest for ReadService {
    type Error = ApiError;
    type Future = Ready<Result<Self, ApiError>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        ready(choose(req))
    }
}

fn choose(req: &HttpRequest) -> Result<ReadService, ApiError> {
    let strong = strong(req)?;
    if strong {
        if let Some(primary) = req.app_data::<web::Data<PrimaryReads>>() {
            return Ok(ReadService(primary.0.clone()));
        }
    }
    // Without a standby every read is on the primary already.
    req.app_data::<web::Data<dyn TenantService>>()
        .map(|service| ReadService(service.clone().into_inner()))
        .ok_or(ApiError::Internal)
}

/// Whether the request asked for strong consistency: no header is `false`, one header
/// `strong` (exactly, lower case) is `true`, anything else is refused.
fn strong(req: &HttpRequest) -> Result<bool, ApiError> {
    let mut values = req.headers().get_all(HEADER);
    let Some(first) = values.next() else {
        return Ok(false);
    };
    let valid = values.next().is_none() && first.to_str().is_ok_and(|v| v.trim() == "strong");
    if valid {
        Ok(true)
    } else {
        Err(ApiError::validation(
            HEADER,
            "must be `strong` (read from the primary) when given, once",
        ))
    }
}

#[cfg(test)]
mod tests {
    use actix_web::test::TestRequest;

    use super::*;

    #[test]
    fn absent_is_default_strong_is_strong_anything_else_is_refused() {
        assert!(!strong(&TestRequest::default().to_http_request()).unwrap());
        for ok in ["strong", " strong "] {
            let req = TestRequest::default()
                .insert_header((HEADER, ok))
                .to_http_request();
            assert!(strong(&req).unwrap(), "{ok:?}");
        }
        for bad in ["", "eventual", "strong,strong", "1", "Strong", "STRONG"] {
            let req = TestRequest::default()
                .insert_header((HEADER, bad))
                .to_http_request();
            let err = strong(&req).unwrap_err();
            assert_eq!(err.code(), "VALIDATION_ERROR", "{bad:?}");
        }
        let twice = TestRequest::default()
            .append_header((HEADER, "strong"))
            .append_header((HEADER, "strong"))
            .to_http_request();
        assert!(strong(&twice).is_err());
    }
}
