use std::future::{ready, Ready};

use actix_web::dev::Payload;
use actix_web::{FromRequest, HttpRequest};
use mtdb_domain::TenantId;

use crate::error::ApiError;
use crate::extract::uuid::canonical_uuid;

/// The `{tenant_id}` of the path, parsed: `400` with `details.field = "tenant_id"` when
/// it is not a UUID in the canonical form (actix's `Path` would answer in plain text).
pub(crate) struct TenantPath(pub TenantId);

impl FromRequest for TenantPath {
    type Error = ApiError;
    type Future = Ready<Result<Self, ApiError>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let raw = req.match_info().get("tenant_id").unwrap_or_default();
        ready(canonical_uuid("tenant_id", raw).map(|id| Self(TenantId::from_uuid(id))))
    }
}
