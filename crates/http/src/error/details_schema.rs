//! The OpenAPI schema of an error's `details`: which keys each kind of error sets.

use std::borrow::Cow;

use utoipa::openapi::schema::{KnownFormat, ObjectBuilder, SchemaFormat, Type};
use utoipa::openapi::{RefOr, Schema};
use utoipa::{PartialSchema, ToSchema};

/// `details`: `field`, `limit_bytes` or `limit_ms`, or nothing.
pub(crate) struct ErrorDetailsSchema;

impl PartialSchema for ErrorDetailsSchema {
    fn schema() -> RefOr<Schema> {
        let count = |description: &str| {
            ObjectBuilder::new()
                .schema_type(Type::Integer)
                .format(Some(SchemaFormat::KnownFormat(KnownFormat::Int64)))
                .minimum(Some(0))
                .description(Some(description))
        };
        ObjectBuilder::new()
            .schema_type(Type::Object)
            .property(
                "field",
                ObjectBuilder::new()
                    .schema_type(Type::String)
                    .description(Some(
                        "`VALIDATION_ERROR`: the member (`metadata.k` inside an object), query \
                     parameter or header at fault, or `body`",
                    )),
            )
            .property(
                "limit_bytes",
                count("`PAYLOAD_TOO_LARGE`: the largest body accepted"),
            )
            .property(
                "limit_ms",
                count("`REQUEST_TIMEOUT`: the time the body had to arrive"),
            )
            .description(Some("`{}` when there is nothing to add."))
            .into()
    }
}

impl ToSchema for ErrorDetailsSchema {
    fn name() -> Cow<'static, str> {
        "ErrorDetails".into()
    }
}
