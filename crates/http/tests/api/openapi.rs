use actix_web::test::TestRequest;
use serde_json::{json, Value};

use crate::helpers::*;

#[actix_web::test]
async fn the_document_lists_exactly_the_six_endpoints() {
    let reply = TestApp::new()
        .send(TestRequest::get().uri("/openapi.json"))
        .await;

    assert_eq!(reply.status, 200);
    assert_eq!(reply.header("content-type"), Some("application/json"));
    let doc = reply.json();
    assert!(doc["openapi"].as_str().is_some_and(|v| v.starts_with("3.")));
    let mut endpoints: Vec<String> = doc["paths"]
        .as_object()
        .into_iter()
        .flatten()
        .flat_map(|(path, item)| {
            item.as_object()
                .into_iter()
                .flatten()
                .filter(|(method, _)| {
                    [
                        "get", "put", "post", "delete", "patch", "head", "options", "trace",
                    ]
                    .contains(&method.as_str())
                })
                .map(move |(method, _)| format!("{} {path}", method.to_uppercase()))
        })
        .collect();
    endpoints.sort();
    assert_eq!(
        endpoints,
        [
            "DELETE /api/v1/tenants/{tenant_id}",
            "GET /api/v1/tenants",
            "GET /api/v1/tenants/{tenant_id}",
            "GET /health",
            "POST /api/v1/tenants",
            "PUT /api/v1/tenants/{tenant_id}",
        ]
    );
}

#[actix_web::test]
async fn tenant_endpoints_require_the_bearer_scheme_and_health_does_not() {
    let doc = TestApp::new()
        .send(TestRequest::get().uri("/openapi.json"))
        .await
        .json();
    let scheme = &doc["components"]["securitySchemes"]["bearer"];
    assert_eq!(scheme["type"], "http");
    assert_eq!(scheme["scheme"], "bearer");
    assert_eq!(scheme["bearerFormat"], "JWT");
    let get_tenant = &doc["paths"]["/api/v1/tenants/{tenant_id}"]["get"];
    assert_eq!(get_tenant["security"][0]["bearer"], Value::Array(vec![]));
    // No `security` at all: `[{}]` would make generated clients demand a token.
    assert!(doc["paths"]["/health"]["get"].get("security").is_none());
    assert!(doc.get("security").is_none());
    let schemas = &doc["components"]["schemas"];
    for name in [
        "TenantResponse",
        "CreateTenantRequest",
        "UpdateTenantRequest",
        "ErrorBody",
    ] {
        assert!(schemas[name].is_object(), "{name}");
    }
}

/// The extractors refuse unknown fields, so the request schemas say so: a generated
/// client or a schema-driven fuzzer must not believe extra fields are accepted.
#[actix_web::test]
async fn request_bodies_declare_that_unknown_fields_are_refused() {
    let doc = TestApp::new()
        .send(TestRequest::get().uri("/openapi.json"))
        .await
        .json();
    for name in [
        "CreateParentRequest",
        "CreateSubsidiaryRequest",
        "UpdateTenantRequest",
    ] {
        let schema = &doc["components"]["schemas"][name];
        assert_eq!(
            schema["additionalProperties"],
            Value::Bool(false),
            "{name}: {schema}"
        );
    }
}

/// A schema-driven client must know that a conditional `GET` may answer `304`.
#[actix_web::test]
async fn get_by_id_documents_if_none_match_and_304() {
    let doc = TestApp::new()
        .send(TestRequest::get().uri("/openapi.json"))
        .await
        .json();
    let get_tenant = &doc["paths"]["/api/v1/tenants/{tenant_id}"]["get"];
    let not_modified = &get_tenant["responses"]["304"];
    assert!(
        not_modified["headers"]["ETag"].is_object(),
        "{not_modified}"
    );
    assert!(not_modified.get("content").is_none(), "{not_modified}");
    let params = get_tenant["parameters"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    assert!(
        params
            .iter()
            .any(|p| p["name"] == "If-None-Match" && p["in"] == "header"),
        "{params:?}"
    );
}

/// What a generated client needs to be typed exactly: the create body a union told
/// apart by `tenant_type`, metadata a free-form object, headers with their exact values,
/// formats, and every response header a client reads.
#[actix_web::test]
async fn the_document_is_precise_enough_for_generated_clients() {
    let doc = TestApp::new()
        .send(TestRequest::get().uri("/openapi.json"))
        .await
        .json();
    let schemas = &doc["components"]["schemas"];
    let create = &schemas["CreateTenantRequest"];
    assert_eq!(create["discriminator"]["propertyName"], "tenant_type");
    assert_eq!(
        create["oneOf"].as_array().map(Vec::len),
        Some(2),
        "{create}"
    );
    let parent = &schemas["CreateParentRequest"];
    assert_eq!(
        parent["properties"]["tenant_type"]["enum"],
        json!(["parent"])
    );
    assert_eq!(parent["properties"]["parent_tenant_id"]["type"], "null");
    let subsidiary = &schemas["CreateSubsidiaryRequest"];
    assert_eq!(
        subsidiary["properties"]["parent_tenant_id"]["format"],
        "uuid"
    );
    assert!(subsidiary["required"]
        .as_array()
        .is_some_and(|r| r.contains(&json!("parent_tenant_id"))));
    assert_eq!(schemas["Metadata"]["additionalProperties"], true);
    assert_eq!(schemas["Metadata"]["type"], "object");
    assert!(schemas["TenantName"]["pattern"].is_string());
    let tenant = &schemas["TenantResponse"]["properties"];
    for field in ["created_at", "updated_at"] {
        assert_eq!(tenant[field]["format"], "date-time", "{field}");
    }
    assert_eq!(tenant["tenant_id"]["format"], "uuid");
    assert_eq!(tenant["metadata"]["$ref"], "#/components/schemas/Metadata");
    let required = &schemas["TenantResponse"]["required"];
    assert!(
        required
            .as_array()
            .is_some_and(|r| r.contains(&json!("parent_tenant_id"))),
        "a parent's null parent_tenant_id is always sent: {required}"
    );
    assert_eq!(
        schemas["HealthStatus"]["enum"],
        json!(["healthy", "unhealthy"])
    );
    assert_eq!(
        schemas["DatabaseState"]["enum"],
        json!(["connected", "disconnected"])
    );
    let details = &schemas["ErrorDetails"]["properties"];
    assert_eq!(details["field"]["type"], "string");

    let header = |path: &str, method: &str, name: &str| {
        doc["paths"][path][method]["parameters"]
            .as_array()
            .and_then(|ps| ps.iter().find(|p| p["name"] == name).cloned())
            .unwrap_or_default()
    };
    let one = "/api/v1/tenants/{tenant_id}";
    let consistency = header(one, "get", "Mtdb-Consistency");
    assert_eq!(
        consistency["schema"],
        json!({"type": "string", "enum": ["strong"]})
    );
    for (method, name) in [
        ("put", "If-Match"),
        ("delete", "If-Match"),
        ("get", "If-None-Match"),
    ] {
        let schema = &header(one, method, name)["schema"];
        assert_eq!(schema["type"], "string", "{method} {name}: not nullable");
        assert!(schema["pattern"].is_string(), "{method} {name}");
    }

    let responses = |path: &str, method: &str| doc["paths"][path][method]["responses"].clone();
    let created = &responses("/api/v1/tenants", "post")["201"]["headers"];
    for name in ["ETag", "Location", "X-Request-Id"] {
        assert!(created[name].is_object(), "201 {name}");
    }
    let get = responses(one, "get");
    assert!(get["401"]["headers"]["WWW-Authenticate"].is_object());
    assert!(get["429"]["headers"]["Retry-After"].is_object());
    assert!(responses("/health", "get")["503"]["headers"]["Retry-After"].is_object());
}
