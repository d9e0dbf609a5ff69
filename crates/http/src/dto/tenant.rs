use chrono::{DateTime, SecondsFormat, Utc};
use mtdb_domain::Tenant;
use serde::Serialize;
use serde_json::Value;
use utoipa::ToSchema;
use uuid::Uuid;

use crate::dto::schemas::MetadataSchema;
use crate::dto::tenant_type::TenantTypeDto;

/// A tenant, exactly as docs/api.md shows it.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct TenantResponse {
    #[schema(example = "00000000-0000-4000-8000-000000000011")]
    pub tenant_id: Uuid,
    #[schema(example = "HSBC Hong Kong")]
    pub name: String,
    /// Null for a parent tenant; always present.
    #[schema(required = true, example = "00000000-0000-4000-8000-000000000001")]
    pub parent_tenant_id: Option<Uuid>,
    pub tenant_type: TenantTypeDto,
    #[schema(value_type = MetadataSchema)]
    pub metadata: Value,
    /// RFC 3339, UTC, microseconds.
    #[schema(format = DateTime, example = "2026-11-26T10:00:00.123456Z")]
    pub created_at: String,
    /// RFC 3339, UTC, microseconds.
    #[schema(format = DateTime, example = "2026-11-26T10:00:00.123456Z")]
    pub updated_at: String,
}

impl From<Tenant> for TenantResponse {
    fn from(tenant: Tenant) -> Self {
        Self {
            tenant_id: tenant.id.as_uuid(),
            parent_tenant_id: tenant.parent_id().map(|id| id.as_uuid()),
            tenant_type: tenant.tenant_type().into(),
            name: tenant.name.as_str().to_owned(),
            metadata: tenant.metadata.into_value(),
            created_at: timestamp(tenant.created_at),
            updated_at: timestamp(tenant.updated_at),
        }
    }
}

/// Always six fractional digits and `Z`, so that clients can compare timestamps as text.
pub(crate) fn timestamp(at: DateTime<Utc>) -> String {
    at.to_rfc3339_opts(SecondsFormat::Micros, true)
}

#[cfg(test)]
mod tests {
    use chrono::TimeZone;

    use super::*;

    #[test]
    fn timestamps_have_microseconds_and_z() {
        let at = Utc.with_ymd_and_hms(2026, 11, 26, 10, 0, 0).single();
        let at = at.map(|at| at + chrono::Duration::microseconds(123_456));
        assert_eq!(
            at.map(timestamp).as_deref(),
            Some("2026-11-26T10:00:00.123456Z")
        );
    }
}
