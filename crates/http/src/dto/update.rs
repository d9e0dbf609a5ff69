use mtdb_domain::{Metadata, TenantChanges, TenantName, ValidationError};
use serde_json::Value;
use utoipa::ToSchema;

use crate::dto::schemas::{MetadataSchema, TenantNameSchema};
use crate::error::ApiError;
use crate::extract::body::FromJsonObject;
use crate::extract::fields::JsonObject;

/// Body of `PUT /api/v1/tenants/{tenant_id}`: replaces the mutable fields. Any other
/// field, `tenant_type` and `parent_tenant_id` included, is refused by name.
#[derive(Debug, ToSchema)]
// Read by utoipa only (there is no serde derive here): the schema says
// `additionalProperties: false`, as `deny_unknown` below enforces.
#[serde(deny_unknown_fields)]
pub(crate) struct UpdateTenantRequest {
    #[schema(value_type = TenantNameSchema)]
    pub name: String,
    #[schema(value_type = MetadataSchema, required = false)]
    pub metadata: Option<Value>,
}

const FIELDS: &[&str] = &["name", "metadata"];

impl FromJsonObject for UpdateTenantRequest {
    fn from_json_object(mut object: JsonObject) -> Result<Self, ApiError> {
        object.deny_unknown(FIELDS)?;
        Ok(Self {
            name: object.required("name")?,
            metadata: object.raw("metadata"),
        })
    }
}

/// The one place the domain parses an update body: each parser runs once.
impl TryFrom<UpdateTenantRequest> for TenantChanges {
    type Error = ValidationError;

    fn try_from(dto: UpdateTenantRequest) -> Result<Self, Self::Error> {
        Ok(Self {
            name: TenantName::parse(&dto.name)?,
            metadata: Metadata::parse(dto.metadata)?,
        })
    }
}
