use actix_web::test::TestRequest;
use serde_json::Value;

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
    assert_eq!(
        doc["paths"]["/health"]["get"]["security"][0],
        serde_json::json!({})
    );
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
    for name in ["CreateTenantRequest", "UpdateTenantRequest"] {
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
