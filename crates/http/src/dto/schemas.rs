//! The field schemas a derive cannot say: free-form metadata and a tenant name's
//! characters. The bodies that use them are in `request.rs` and `create_schema.rs`.

use std::borrow::Cow;

use serde_json::json;
use utoipa::openapi::schema::{AdditionalProperties, ObjectBuilder, Type};
use utoipa::openapi::{RefOr, Schema};
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
