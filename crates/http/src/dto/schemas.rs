//! The schemas a derive cannot say: free-form metadata, a tenant name's characters, and
//! the two shapes of the create body, a parent and a subsidiary told apart by
//! `tenant_type` (`request.rs` makes them a `oneOf`), so that a generated client has a
//! union and a fuzzer makes valid bodies.

use std::borrow::Cow;

use serde_json::json;
use utoipa::openapi::schema::{
    AdditionalProperties, KnownFormat, ObjectBuilder, SchemaFormat, Type,
};
use utoipa::openapi::{Ref, RefOr, Schema};
use utoipa::{PartialSchema, ToSchema};

/// `metadata`: any JSON object.
pub(crate) struct MetadataSchema;

impl PartialSchema for MetadataSchema {
    fn schema() -> RefOr<Schema> {
        ObjectBuilder::new()
            .schema_type(Type::Object)
            .additional_properties(Some(AdditionalProperties::<Schema>::FreeForm(true)))
            .description(Some(
                "Free-form JSON object of the organization's own attributes (country, \
                 regulator, ...), stored and returned as given. At most 65,536 bytes \
                 serialized; no key or string may contain U+0000. Absent in a request \
                 means `{}`; `null` is refused.",
            ))
            .examples([json!({"country": "Hong Kong", "regulator": "HKMA"})])
            .into()
    }
}

impl ToSchema for MetadataSchema {
    fn name() -> Cow<'static, str> {
        "Metadata".into()
    }
}

/// What the server refuses in a name, as far as a regular expression portable to
/// ECMAScript and Python can list it: controls, line and paragraph separators, the common
/// invisible format characters and the private-use area. (Unassigned code points, and
/// format characters outside these ranges, are refused too: docs/api.md, "Names".)
const FORBIDDEN: &str =
    r"\x00-\x1F\x7F-\x9F\u00AD\u200B-\u200F\u2028-\u202E\u2060-\u206F\uE000-\uF8FF\uFEFF";

/// `name`: 1 to 200 characters once trimmed of white space, none of them forbidden.
pub(crate) struct TenantNameSchema;

impl PartialSchema for TenantNameSchema {
    fn schema() -> RefOr<Schema> {
        let visible = format!(r"[^\s{FORBIDDEN}]");
        let any = format!(r"[^{FORBIDDEN}]");
        ObjectBuilder::new()
            .schema_type(Type::String)
            .min_length(Some(1))
            .pattern(Some(format!(
                r"^\s*{visible}({any}{{0,198}}{visible})?\s*$"
            )))
            .description(Some(
                "Trimmed of white space and put in NFC, then 1 to 200 characters; no \
                 control, format, private-use, unassigned, line- or paragraph-separator \
                 character. Unique among the live siblings after NFKC and case folding.",
            ))
            .examples([json!("HSBC Hong Kong")])
            .into()
    }
}

impl ToSchema for TenantNameSchema {
    fn name() -> Cow<'static, str> {
        "TenantName".into()
    }
}

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

fn create_body(kind: &str, parent: ObjectBuilder, example: serde_json::Value) -> ObjectBuilder {
    ObjectBuilder::new()
        .schema_type(Type::Object)
        .property("name", Ref::from_schema_name(TenantNameSchema::name()))
        .required("name")
        .property(
            "tenant_type",
            ObjectBuilder::new()
                .schema_type(Type::String)
                .enum_values(Some([kind])),
        )
        .required("tenant_type")
        .property("parent_tenant_id", parent)
        .property("metadata", Ref::from_schema_name(MetadataSchema::name()))
        .additional_properties(Some(AdditionalProperties::<Schema>::FreeForm(false)))
        .examples([example])
}
