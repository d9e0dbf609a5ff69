use mtdb_domain::{Metadata, NewTenant, Placement, TenantName, ValidationError};
use serde_json::Value;
use utoipa::ToSchema;
use uuid::Uuid;
use validator::Validate;

use super::{rules, TenantTypeDto};
use crate::error::{first_failure, ApiError};
use crate::extract::{canonical_uuid, FromJsonObject, JsonObject};

/// Body of `POST /api/v1/tenants`.
#[derive(Debug, Validate, ToSchema)]
// Read by utoipa only (there is no serde derive here): the schema says
// `additionalProperties: false`, as `deny_unknown` below enforces.
#[serde(deny_unknown_fields)]
pub(crate) struct CreateTenantRequest {
    /// Trimmed; 1 to 200 characters; no control characters.
    #[validate(custom(function = "rules::name"))]
    #[schema(example = "HSBC Hong Kong", min_length = 1, max_length = 200)]
    pub name: String,
    /// Must agree with `parent_tenant_id`: a parent has none, a subsidiary has one.
    pub tenant_type: TenantTypeDto,
    /// The parent tenant of a subsidiary; null or absent for a parent.
    #[schema(nullable, example = "00000000-0000-4000-8000-000000000001")]
    pub parent_tenant_id: Option<Uuid>,
    /// A JSON object of at most 64 KiB serialized; absent means `{}`. No key or string
    /// may contain U+0000, which PostgreSQL cannot store.
    #[validate(custom(function = "rules::metadata"))]
    #[schema(value_type = Object, required = false, example = json!({"country": "Hong Kong"}))]
    pub metadata: Option<Value>,
}

/// In the order the fields are checked and reported.
const FIELDS: &[&str] = &["name", "tenant_type", "parent_tenant_id", "metadata"];

impl FromJsonObject for CreateTenantRequest {
    fn from_json_object(mut object: JsonObject) -> Result<Self, ApiError> {
        object.deny_unknown(FIELDS)?;
        let dto = Self {
            name: object.required("name")?,
            tenant_type: object.required("tenant_type")?,
            parent_tenant_id: object
                .optional::<String>("parent_tenant_id")?
                .map(|raw| canonical_uuid("parent_tenant_id", &raw))
                .transpose()?,
            // Raw, so that an explicit `null` reaches the domain and is refused there.
            metadata: object.raw("metadata"),
        };
        dto.validate()
            .map_err(|errors| first_failure(&errors, FIELDS))?;
        Ok(dto)
    }
}

impl TryFrom<CreateTenantRequest> for NewTenant {
    type Error = ValidationError;

    fn try_from(dto: CreateTenantRequest) -> Result<Self, Self::Error> {
        Ok(Self {
            name: TenantName::parse(&dto.name)?,
            placement: Placement::parse(
                dto.tenant_type.into(),
                dto.parent_tenant_id.map(Into::into),
            )?,
            metadata: Metadata::parse(dto.metadata)?,
        })
    }
}
