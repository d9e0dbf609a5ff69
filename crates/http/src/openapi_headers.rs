//! Headers in the OpenAPI document, typed as the server reads and writes them: the
//! request headers' exact values (a pattern for entity tags, an enum for
//! `Mtdb-Consistency`), and on each response the headers a client reads.

use utoipa::openapi::header::{Header, HeaderBuilder};
use utoipa::openapi::path::{Operation, ParameterIn};
use utoipa::openapi::schema::{ObjectBuilder, Type};
use utoipa::openapi::{OpenApi, RefOr};
use utoipa::Modify;

use crate::extract::consistency::HEADER as CONSISTENCY_HEADER;

/// `*`, or a comma-separated list of entity tags (`"3"`, `W/"3"`), empty elements
/// allowed: exactly what `extract/entity_tags.rs` reads; anything else is a `400`.
pub(crate) const ENTITY_TAGS: &str =
    r#"^([ \t]*\*[ \t]*|[ \t,]*(W/)?"[!#-~]*"([ \t]*,[ \t,]*(W/)?"[!#-~]*")*[ \t,]*)$"#;

pub(crate) struct Headers;

impl Modify for Headers {
    fn modify(&self, openapi: &mut OpenApi) {
        for item in openapi.paths.paths.values_mut() {
            let operations = [
                item.get.as_mut(),
                item.post.as_mut(),
                item.put.as_mut(),
                item.delete.as_mut(),
            ];
            for operation in operations.into_iter().flatten() {
                type_request_headers(operation);
                declare_response_headers(operation);
            }
        }
    }
}

fn type_request_headers(operation: &mut Operation) {
    for parameter in operation.parameters.iter_mut().flatten() {
        if parameter.parameter_in != ParameterIn::Header {
            continue;
        }
        let schema = ObjectBuilder::new().schema_type(Type::String);
        let schema = match parameter.name.as_str() {
            "If-Match" | "If-None-Match" => schema
                .pattern(Some(ENTITY_TAGS))
                .examples([serde_json::json!("\"1\"")]),
            CONSISTENCY_HEADER => schema.enum_values(Some(["strong"])),
            _ => continue,
        };
        parameter.schema = Some(schema.into());
    }
}

fn declare_response_headers(operation: &mut Operation) {
    for (status, response) in operation.responses.responses.iter_mut() {
        let RefOr::T(response) = response else {
            continue;
        };
        let headers = &mut response.headers;
        headers.insert(
            "X-Request-Id".to_owned(),
            text("The request's id: the client's `X-Request-Id` when it sent a usable one, else a new UUID; the server's log lines of the request carry it"),
        );
        match status.as_str() {
            "401" => {
                headers.insert(
                    "WWW-Authenticate".to_owned(),
                    text("`Bearer`, with `error=\"invalid_token\"` when a token was given but not trusted"),
                );
            }
            "429" | "503" => {
                headers.insert(
                    "Retry-After".to_owned(),
                    integer("Seconds to wait before retrying"),
                );
            }
            _ => {}
        }
    }
}

fn text(description: &str) -> Header {
    HeaderBuilder::new()
        .schema(ObjectBuilder::new().schema_type(Type::String))
        .description(Some(description))
        .build()
}

fn integer(description: &str) -> Header {
    HeaderBuilder::new()
        .schema(
            ObjectBuilder::new()
                .schema_type(Type::Integer)
                .minimum(Some(0)),
        )
        .description(Some(description))
        .build()
}
