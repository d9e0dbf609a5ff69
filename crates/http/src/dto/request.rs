//! The bodies that write a tenant's fields, side by side: `POST`'s and `PUT`'s. A field a
//! client may write is added to both here (docs/contributing.md).

use mtdb_domain::{Metadata, NewTenant, Placement, TenantChanges, TenantName, ValidationError};
use serde_json::Value;
use utoipa::ToSchema;
use uuid::Uuid;

use crate::dto::schemas::{MetadataSchema, TenantNameSchema};
use crate::dto::tenant_type::TenantTypeDto;
use crate::error::ApiError;
use crate::extract::body::FromJsonObject;
use crate::extract::fields::JsonObject;
use crate::extract::uuid::canonical_uuid;

/// Body of `POST /api/v1/tenants`: its shape (fields, JSON types, the id's form). The
/// rules on its values are the domain's, applied once by `TryFrom` (see `mod.rs`). Its
/// OpenAPI schema, a `oneOf` of a parent and a subsidiary, is in `schemas.rs`.
#[derive(Debug)]
pub(crate) struct CreateTenantRequest {
    pub name: String,
    pub tenant_type: TenantTypeDto,
    pub parent_tenant_id: Option<Uuid>,
    /// Raw, so that an explicit `null` reaches the domain and is refused there.
    pub metadata: Option<Value>,
}

/// The known fields. A body's shape is checked field by field in this order, then its
/// values, in `TryFrom`'s order.
const CREATE_FIELDS: &[&str] = &["name", "tenant_type", "parent_tenant_id", "metadata"];

impl FromJsonObject for CreateTenantRequest {
    fn from_json_object(mut object: JsonObject) -> Result<Self, ApiError> {
        object.deny_unknown(CREATE_FIELDS)?;
        Ok(Self {
            name: object.required("name")?,
            tenant_type: object.required("tenant_type")?,
            parent_tenant_id: object
                .optional::<String>("parent_tenant_id")?
                .map(|raw| canonical_uuid("parent_tenant_id", &raw))
                .transpose()?,
            // Raw, so that an explicit `null` reaches the domain and is refused there.
            metadata: object.raw("metadata"),
        })
    }
}

/// The one place the domain parses a create body: each parser runs once and its value is
/// kept. The name and the metadata are judged before the type and parent agree, the
/// order in which the API has always reported them.
impl TryFrom<CreateTenantRequest> for NewTenant {
    type Error = ValidationError;

    fn try_from(dto: CreateTenantRequest) -> Result<Self, Self::Error> {
        let name = TenantName::parse(&dto.name)?;
        let metadata = Metadata::parse(dto.metadata)?;
        let placement =
            Placement::parse(dto.tenant_type.into(), dto.parent_tenant_id.map(Into::into))?;
        Ok(Self {
            name,
            placement,
            metadata,
        })
    }
}

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

const UPDATE_FIELDS: &[&str] = &["name", "metadata"];

impl FromJsonObject for UpdateTenantRequest {
    fn from_json_object(mut object: JsonObject) -> Result<Self, ApiError> {
        object.deny_unknown(UPDATE_FIELDS)?;
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

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn field_of(body: Value) -> &'static str {
        let object = JsonObject::new(body).expect("an object");
        let dto = CreateTenantRequest::from_json_object(object).expect("the right shape");
        NewTenant::try_from(dto).map_or_else(|e| e.field, |_| "none")
    }

    #[test]
    fn values_are_judged_name_then_metadata_then_placement() {
        let bad_name = " ".repeat(3);
        let mismatched = "00000000-0000-4000-8000-000000000001";
        let body = |name: &str, metadata: Value| {
            json!({"name": name, "tenant_type": "parent",
                   "parent_tenant_id": mismatched, "metadata": metadata})
        };
        assert_eq!(field_of(body(&bad_name, json!([]))), "name");
        assert_eq!(field_of(body("Ok", json!([]))), "metadata");
        assert_eq!(field_of(body("Ok", json!({}))), "parent_tenant_id");
        let fine = json!({"name": "Ok", "tenant_type": "parent"});
        assert_eq!(field_of(fine), "none");
    }
}
