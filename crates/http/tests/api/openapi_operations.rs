//! Each operation of the OpenAPI document is named, summarized and described, and each
//! error it declares comes with an example whose code belongs to that status.

use actix_web::test::TestRequest;
use serde_json::Value;

use crate::helpers::*;

async fn document() -> Value {
    TestApp::new()
        .send(TestRequest::get().uri("/openapi.json"))
        .await
        .json()
}

/// The codes each error status may carry (docs/api.md, "Errors").
fn codes_of(status: &str) -> &'static [&'static str] {
    match status {
        "400" => &["VALIDATION_ERROR"],
        "401" => &["UNAUTHENTICATED"],
        "403" => &["FORBIDDEN"],
        "404" => &["NOT_FOUND"],
        "408" => &["REQUEST_TIMEOUT"],
        "409" => &[
            "DUPLICATE_NAME",
            "HAS_SUBSIDIARIES",
            "HIERARCHY_DEPTH_EXCEEDED",
        ],
        "412" => &["PRECONDITION_FAILED"],
        "413" => &["PAYLOAD_TOO_LARGE"],
        "415" => &["UNSUPPORTED_MEDIA_TYPE"],
        "429" => &["TOO_MANY_REQUESTS"],
        "500" => &["INTERNAL_ERROR"],
        "503" => &["SERVICE_UNAVAILABLE"],
        _ => &[],
    }
}

const OPERATIONS: [(&str, &str, &str); 6] = [
    ("/api/v1/tenants", "get", "listTenants"),
    ("/api/v1/tenants", "post", "createTenant"),
    ("/api/v1/tenants/{tenant_id}", "get", "getTenant"),
    ("/api/v1/tenants/{tenant_id}", "put", "updateTenant"),
    ("/api/v1/tenants/{tenant_id}", "delete", "deleteTenant"),
    ("/health", "get", "health"),
];

#[actix_web::test]
async fn every_operation_has_its_id_a_summary_and_a_description() {
    let doc = document().await;
    for (path, method, id) in OPERATIONS {
        let operation = &doc["paths"][path][method];
        assert_eq!(operation["operationId"], id, "{method} {path}");
        for (field, at_least) in [("summary", 10), ("description", 60)] {
            let text = operation[field].as_str().unwrap_or_default();
            assert!(text.len() >= at_least, "{id}: {field} is {text:?}");
        }
    }
}

#[actix_web::test]
async fn every_error_of_a_tenant_operation_has_examples_with_its_codes() {
    let doc = document().await;
    for (path, method, id) in OPERATIONS.iter().filter(|op| op.2 != "health") {
        let responses = doc["paths"][path][method]["responses"]
            .as_object()
            .cloned()
            .unwrap_or_default();
        for (status, response) in responses.iter().filter(|(s, _)| s.as_str() >= "400") {
            let examples = response["content"]["application/json"]["examples"]
                .as_object()
                .cloned()
                .unwrap_or_default();
            assert!(!examples.is_empty(), "{id} {status} has no example");
            for (name, example) in &examples {
                let error = &example["value"]["error"];
                let code = error["code"].as_str().unwrap_or_default();
                assert!(
                    codes_of(status).contains(&code),
                    "{id} {status} example {name}: code {code}"
                );
                assert!(error["message"].as_str().is_some_and(|m| !m.is_empty()));
                assert!(error["details"].is_object(), "{id} {status} {name}");
            }
        }
        // 401 and 503 can answer every tenant operation.
        for status in ["401", "503"] {
            assert!(responses.contains_key(status), "{id} declares {status}");
        }
    }
}

#[actix_web::test]
async fn the_conflicts_of_each_write_are_all_shown() {
    let doc = document().await;
    let codes = |path: &str, method: &str| -> Vec<String> {
        doc["paths"][path][method]["responses"]["409"]["content"]["application/json"]["examples"]
            .as_object()
            .into_iter()
            .flatten()
            .filter_map(|(_, e)| e["value"]["error"]["code"].as_str().map(str::to_owned))
            .collect()
    };
    let mut create = codes("/api/v1/tenants", "post");
    create.sort();
    assert_eq!(create, ["DUPLICATE_NAME", "HIERARCHY_DEPTH_EXCEEDED"]);
    assert_eq!(
        codes("/api/v1/tenants/{tenant_id}", "put"),
        ["DUPLICATE_NAME"]
    );
    assert_eq!(
        codes("/api/v1/tenants/{tenant_id}", "delete"),
        ["HAS_SUBSIDIARIES"]
    );
}

/// The examples are what the server says: two of them compared with real answers.
#[actix_web::test]
async fn examples_match_the_server_s_own_answers() {
    let doc = document().await;
    let example = |status: &str, name: &str| {
        doc["paths"]["/api/v1/tenants/{tenant_id}"]["get"]["responses"][status]["content"]
            ["application/json"]["examples"][name]["value"]
            .clone()
    };

    let missing_token = TestApp::new()
        .send(TestRequest::get().uri("/api/v1/tenants/00000000-0000-4000-8000-000000000001"))
        .await;
    assert_eq!(missing_token.status, 401);
    assert_eq!(missing_token.json(), example("401", "missing_token"));

    let bad_id = TestApp::new()
        .send(as_admin(
            TestRequest::get().uri("/api/v1/tenants/not-a-uuid"),
        ))
        .await;
    assert_eq!(bad_id.status, 400);
    assert_eq!(bad_id.json(), example("400", "validation_error"));
}
