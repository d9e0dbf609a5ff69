use mtdb_domain::TenantType;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// `"parent"` or `"subsidiary"` on the wire.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "lowercase")]
#[schema(as = TenantType)]
pub(crate) enum TenantTypeDto {
    Parent,
    Subsidiary,
}

impl From<TenantTypeDto> for TenantType {
    fn from(dto: TenantTypeDto) -> Self {
        match dto {
            TenantTypeDto::Parent => Self::Parent,
            TenantTypeDto::Subsidiary => Self::Subsidiary,
        }
    }
}

impl From<TenantType> for TenantTypeDto {
    fn from(tenant_type: TenantType) -> Self {
        match tenant_type {
            TenantType::Parent => Self::Parent,
            TenantType::Subsidiary => Self::Subsidiary,
        }
    }
}
