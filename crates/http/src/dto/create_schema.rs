//! `POST /api/v1/tenants`'s body as OpenAPI says it: a `oneOf` of a parent and a
//! subsidiary told apart by `tenant_type`, so that a generated client has a union and a
//! fuzzer makes valid bodies. The fields a create shares with an update are described once,
//! on `UpdateTenantRequest`'s derive.

use serde_json::json;
use utoipa::openapi::schema::{
    AdditionalProperties, Discriminator, KnownFormat, ObjectBuilder, OneOfBuilder, SchemaFormat,
    Type,
};
use utoipa::openapi::{Ref, RefOr, Schema};
use utoipa::{PartialSchema, ToSchema};

use crate::dto::request::{CreateTenantRequest, UpdateTenantRequest};

/// The body that creates a parent: no `parent_tenant_id` (or `null`).
pub(crate) struct CreateParentRequest;

impl PartialSchema for CreateParentRequest {
    fn schema() -> RefOr<Schema> {
        create_body(
            "parent",
            ObjectBuilder::new()
                .schema_type(Type::Null)
                .description(Some("A parent has none: absent or null.")),
            json!({"name": "Standard Chartered", "tenant_type": "parent",
                   "metadata": {"country": "United Kingdom"}}),
        )
        .description(Some(
            "A parent tenant; only the platform admin creates one.",
        ))
        .into()
    }
}

impl ToSchema for CreateParentRequest {}

/// The body that creates a subsidiary under `parent_tenant_id`.
pub(crate) struct CreateSubsidiaryRequest;

impl PartialSchema for CreateSubsidiaryRequest {
    fn schema() -> RefOr<Schema> {
        create_body(
            "subsidiary",
            ObjectBuilder::new()
                .schema_type(Type::String)
                .format(Some(SchemaFormat::KnownFormat(KnownFormat::Uuid)))
                .description(Some("The parent tenant, hyphenated 8-4-4-4-12.")),
            json!({"name": "HSBC Singapore", "tenant_type": "subsidiary",
                   "parent_tenant_id": "00000000-0000-4000-8000-000000000001",
                   "metadata": {"country": "Singapore"}}),
        )
        .required("parent_tenant_id")
        .description(Some(
            "A subsidiary, under a parent tenant the principal can see (the platform \
             admin: any; a parent's principal: itself).",
        ))
        .into()
    }
}

impl ToSchema for CreateSubsidiaryRequest {}

/// A create body: the fields it shares with `PUT`'s body, as `UpdateTenantRequest`'s
/// derive describes them (so a field both bodies take is described once, in `request.rs`),
/// then `tenant_type` fixed to `kind` and `parent_tenant_id` as `parent` says.
fn create_body(kind: &str, parent: ObjectBuilder, example: serde_json::Value) -> ObjectBuilder {
    let mut body = ObjectBuilder::new().schema_type(Type::Object);
    if let RefOr::T(Schema::Object(shared)) = UpdateTenantRequest::schema() {
        for (field, schema) in shared.properties {
            body = body.property(field, schema);
        }
        for field in shared.required {
            body = body.required(field);
        }
    }
    body.property(
        "tenant_type",
        ObjectBuilder::new()
            .schema_type(Type::String)
            .enum_values(Some([kind])),
    )
    .required("tenant_type")
    .property("parent_tenant_id", parent)
    .additional_properties(Some(AdditionalProperties::<Schema>::FreeForm(false)))
    .examples([example])
}

/// `POST /api/v1/tenants`'s body: one of the two, by `tenant_type`.
impl PartialSchema for CreateTenantRequest {
    fn schema() -> RefOr<Schema> {
        let parent = Ref::from_schema_name(CreateParentRequest::name());
        let subsidiary = Ref::from_schema_name(CreateSubsidiaryRequest::name());
        let mapping = [
            ("parent", parent.ref_location.clone()),
            ("subsidiary", subsidiary.ref_location.clone()),
        ];
        OneOfBuilder::new()
            .item(parent)
            .item(subsidiary)
            .discriminator(Some(Discriminator::with_mapping("tenant_type", mapping)))
            .description(Some(
                "A parent tenant or a subsidiary: `tenant_type` says which, and must agree \
                 with `parent_tenant_id`. Unknown fields are refused.",
            ))
            .into()
    }
}

impl ToSchema for CreateTenantRequest {}
