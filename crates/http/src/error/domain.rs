//! Domain errors to API errors, through the one place that knows the families:
//! [`ErrorKind`]. Client-facing messages come from the domain's own `Display`, which
//! never holds a cause; store failures are answered with a generic message and logged
//! here, once: the adapter below only classifies them (its failure, in the chain, says
//! what it means and which step failed), and this runs inside the request's span, so
//! the line carries the request id.

use std::error::Error;

use mtdb_domain::{
    CreateTenantError, DeleteTenantError, ErrorChain, ErrorKind, GetTenantError, ListTenantsError,
    StoreError, UpdateTenantError,
};

use super::ApiError;

fn from_kind(kind: ErrorKind, err: &(dyn Error + 'static)) -> ApiError {
    let conflict = |code| ApiError::Conflict {
        code,
        message: err.to_string(),
    };
    match kind {
        ErrorKind::NotFound => ApiError::NotFound(err.to_string()),
        ErrorKind::Forbidden => ApiError::Forbidden(err.to_string()),
        ErrorKind::DuplicateName => conflict("DUPLICATE_NAME"),
        ErrorKind::HasSubsidiaries => conflict("HAS_SUBSIDIARIES"),
        ErrorKind::HierarchyDepthExceeded => conflict("HIERARCHY_DEPTH_EXCEEDED"),
        ErrorKind::PreconditionFailed => ApiError::PreconditionFailed(err.to_string()),
        ErrorKind::TooManyRequests => {
            tracing::info!("organization over its bound of requests in flight");
            ApiError::TooManyRequests
        }
        ErrorKind::Unavailable => {
            tracing::warn!(error.cause_chain = %ErrorChain(err), "tenant store unavailable");
            ApiError::Unavailable
        }
        ErrorKind::Internal => {
            tracing::error!(error.cause_chain = %ErrorChain(err), "internal error");
            ApiError::Internal
        }
    }
}

macro_rules! from_domain_error {
    ($($error:ty),+ $(,)?) => {$(
        impl From<$error> for ApiError {
            fn from(err: $error) -> Self {
                from_kind(err.kind(), &err)
            }
        }
    )+};
}

from_domain_error!(
    CreateTenantError,
    GetTenantError,
    ListTenantsError,
    UpdateTenantError,
    DeleteTenantError,
    StoreError,
);

#[cfg(test)]
mod tests {
    use mtdb_domain::StoreError;

    use super::*;

    #[test]
    fn store_failures_hide_their_cause() {
        let cause = std::io::Error::other("password authentication failed for user mtdb");
        let err: ApiError = GetTenantError::Store(StoreError::Internal(Box::new(cause))).into();
        assert!(matches!(err, ApiError::Internal));
        assert!(!err.detail().message.contains("password"));
    }

    #[test]
    fn an_overloaded_organization_is_429_with_retry_after() {
        use actix_web::ResponseError;
        let err: ApiError = ListTenantsError::Store(StoreError::Overloaded).into();
        let response = err.error_response();
        assert_eq!(response.status(), 429);
        assert_eq!(err.code(), "TOO_MANY_REQUESTS");
        assert!(response.headers().contains_key("retry-after"));
    }

    #[test]
    fn conflicts_keep_their_own_code() {
        let err: ApiError = DeleteTenantError::HasSubsidiaries.into();
        assert_eq!(err.code(), "HAS_SUBSIDIARIES");
        let err: ApiError = CreateTenantError::HierarchyDepthExceeded.into();
        assert_eq!(err.code(), "HIERARCHY_DEPTH_EXCEEDED");
    }
}
