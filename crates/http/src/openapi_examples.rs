//! Examples of every error each operation can return, added to the OpenAPI document in
//! one place rather than repeated in each handler's attribute. The messages are those the
//! server sends (docs/api.md, "Errors"); a test compares the codes with the statuses.

use serde_json::{json, Value};
use utoipa::openapi::example::ExampleBuilder;
use utoipa::openapi::path::Operation;
use utoipa::openapi::{OpenApi, RefOr};
use utoipa::Modify;

/// Adds the examples to every error response of every operation.
pub(crate) struct ErrorExamples;

/// One example: its name, the status it is answered with, the code, the message and the
/// details.
type Example = (&'static str, u16, &'static str, String, Value);

impl Modify for ErrorExamples {
    fn modify(&self, openapi: &mut OpenApi) {
        for item in openapi.paths.paths.values_mut() {
            let operations = [
                item.get.as_mut(),
                item.post.as_mut(),
                item.put.as_mut(),
                item.delete.as_mut(),
            ];
            for operation in operations.into_iter().flatten() {
                add_examples(operation);
            }
        }
    }
}

/// Named examples of the request bodies, each summary starting with the principal that
/// may send it as it is (`As ...:`): a test sends each to a seeded server as that
/// principal, and Swagger UI offers them in "Try it out".
pub(crate) struct RequestExamples;

impl Modify for RequestExamples {
    fn modify(&self, openapi: &mut OpenApi) {
        for item in openapi.paths.paths.values_mut() {
            for operation in [item.post.as_mut(), item.put.as_mut()]
                .into_iter()
                .flatten()
            {
                let id = operation.operation_id.clone().unwrap_or_default();
                let Some(content) = operation
                    .request_body
                    .as_mut()
                    .and_then(|body| body.content.get_mut("application/json"))
                else {
                    continue;
                };
                for (name, summary, value) in request_examples(&id) {
                    let example = ExampleBuilder::new().summary(summary).value(Some(value));
                    content
                        .examples
                        .insert(name.to_owned(), RefOr::T(example.build()));
                }
            }
        }
    }
}

fn request_examples(id: &str) -> Vec<(&'static str, &'static str, Value)> {
    match id {
        "createTenant" => vec![
            (
                "parent",
                "As the platform admin: a parent tenant",
                json!({"name": "Standard Chartered", "tenant_type": "parent",
                       "metadata": {"country": "United Kingdom", "regulator": "PRA"}}),
            ),
            (
                "subsidiary",
                "As HSBC (00000000-0000-4000-8000-000000000001): a subsidiary of its own",
                json!({"name": "HSBC Singapore", "tenant_type": "subsidiary",
                       "parent_tenant_id": "00000000-0000-4000-8000-000000000001",
                       "metadata": {"country": "Singapore"}}),
            ),
        ],
        "updateTenant" => vec![(
            "rename",
            "As HSBC (00000000-0000-4000-8000-000000000001), on HSBC Hong Kong \
             (00000000-0000-4000-8000-000000000011): new metadata, same name",
            json!({"name": "HSBC Hong Kong", "metadata": {"country": "Hong Kong", "regulator": "HKMA"}}),
        )],
        _ => Vec::new(),
    }
}

fn add_examples(operation: &mut Operation) {
    let id = operation.operation_id.clone().unwrap_or_default();
    for (status, response) in operation.responses.responses.iter_mut() {
        let RefOr::T(response) = response else {
            continue;
        };
        let Some(content) = response.content.get_mut("application/json") else {
            continue;
        };
        for (name, _, code, message, details) in examples(&id)
            .into_iter()
            .filter(|example| status == &example.1.to_string())
        {
            let value = json!({"error": {"code": code, "message": message, "details": details}});
            let example = ExampleBuilder::new()
                .summary(format!("{code}: {message}"))
                .value(Some(value))
                .build();
            content.examples.insert(name.to_owned(), RefOr::T(example));
        }
    }
}

/// Every error example of the operation `id`; none for `health`, whose `503` has its own
/// shape.
fn examples(id: &str) -> Vec<Example> {
    let mut all = match id {
        "createTenant" => vec![
            validation("parent_tenant_id", UUID_RULE),
            forbidden("only the platform admin may create a parent tenant"),
            (
                "parent_not_found",
                404,
                "NOT_FOUND",
                "parent tenant not found".to_owned(),
                json!({}),
            ),
            conflict(
                "HIERARCHY_DEPTH_EXCEEDED",
                "a subsidiary cannot have subsidiaries",
            ),
            conflict("DUPLICATE_NAME", DUPLICATE),
        ],
        "updateTenant" => vec![
            validation("tenant_type", "is not a field of this request"),
            forbidden("only the platform admin or the tenant's parent may rename it"),
            not_found(),
            conflict("DUPLICATE_NAME", DUPLICATE),
            precondition_failed(),
        ],
        "deleteTenant" => vec![
            validation("cascade", "must be true or false"),
            forbidden("only the platform admin or the tenant's parent may delete it"),
            not_found(),
            conflict(
                "HAS_SUBSIDIARIES",
                "the tenant has live subsidiaries; delete them first or use cascade=true",
            ),
            precondition_failed(),
        ],
        "getTenant" => vec![validation("tenant_id", UUID_RULE), not_found()],
        "listTenants" => vec![validation("limit", "must be between 1 and 1000")],
        _ => return Vec::new(),
    };
    all.extend([
        (
            "missing_token",
            401,
            "UNAUTHENTICATED",
            "missing bearer token".to_owned(),
            json!({}),
        ),
        (
            "invalid_token",
            401,
            "UNAUTHENTICATED",
            "invalid bearer token".to_owned(),
            json!({}),
        ),
        (
            "body_too_slow",
            408,
            "REQUEST_TIMEOUT",
            "the request body was not received within 10000 ms".to_owned(),
            json!({"limit_ms": 10000}),
        ),
        (
            "body_too_large",
            413,
            "PAYLOAD_TOO_LARGE",
            "request body exceeds 262144 bytes".to_owned(),
            json!({"limit_bytes": 262144}),
        ),
        (
            "not_json",
            415,
            "UNSUPPORTED_MEDIA_TYPE",
            "the request body must be application/json".to_owned(),
            json!({}),
        ),
        (
            "too_many_requests",
            429,
            "TOO_MANY_REQUESTS",
            "too many requests of this organization are in flight, retry later".to_owned(),
            json!({}),
        ),
        (
            "internal",
            500,
            "INTERNAL_ERROR",
            "an internal error occurred".to_owned(),
            json!({}),
        ),
        (
            "unavailable",
            503,
            "SERVICE_UNAVAILABLE",
            "the service is temporarily unavailable, retry later".to_owned(),
            json!({}),
        ),
    ]);
    all
}

const UUID_RULE: &str = "must be a UUID in the hyphenated form 8-4-4-4-12 (hexadecimal digits)";
const DUPLICATE: &str = "a live tenant with this name already exists under the same parent";

/// A `400` naming `field`; the message is the field, a colon, and the rule.
fn validation(field: &'static str, rule: &'static str) -> Example {
    (
        "validation_error",
        400,
        "VALIDATION_ERROR",
        format!("{field}: {rule}"),
        json!({"field": field}),
    )
}

fn forbidden(message: &'static str) -> Example {
    ("forbidden", 403, "FORBIDDEN", message.to_owned(), json!({}))
}

fn not_found() -> Example {
    (
        "not_found",
        404,
        "NOT_FOUND",
        "tenant not found".to_owned(),
        json!({}),
    )
}

fn conflict(code: &'static str, message: &'static str) -> Example {
    (code, 409, code, message.to_owned(), json!({}))
}

fn precondition_failed() -> Example {
    (
        "precondition_failed",
        412,
        "PRECONDITION_FAILED",
        "the tenant has changed since the version given in If-Match".to_owned(),
        json!({}),
    )
}
