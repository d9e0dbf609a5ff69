//! Every request example of the OpenAPI document is accepted by the real server as the
//! principal its summary names (`As the platform admin: ...`, `As HSBC (<id>): ...`), so
//! that Swagger UI's "Try it out" and a fuzzer's example phase start from bodies that work.
//! The schemas' own examples of the two create bodies are sent the same way.

use reqwest::Method;
use serde_json::Value;

use crate::helpers::*;

/// Who an example's summary names: the platform admin, or a seeded tenant by its id.
fn principal(summary: &str) -> As {
    if summary.starts_with("As the platform admin") {
        return As::Admin;
    }
    [HSBC, HSBC_HK, HSBC_LONDON, BARCLAYS, BARCLAYS_UK]
        .into_iter()
        .find(|id| summary.starts_with("As ") && summary.contains(&format!("({id})")))
        .map(As::Tenant)
        .unwrap_or_else(|| panic!("{summary:?} names no principal"))
}

/// `(who, method, path, body)` of every request example, the path's `{tenant_id}` being
/// its parameter's example.
fn examples(doc: &Value) -> Vec<(As, Method, String, Value)> {
    let mut found = Vec::new();
    for (path, item) in doc["paths"].as_object().expect("paths") {
        for (method, operation) in item.as_object().expect("a path item") {
            let id = operation["parameters"]
                .as_array()
                .into_iter()
                .flatten()
                .find(|p| p["name"] == "tenant_id")
                .and_then(|p| p["example"].as_str());
            let path = match id {
                Some(id) => path.replace("{tenant_id}", id),
                None => path.clone(),
            };
            let bodies = &operation["requestBody"]["content"]["application/json"]["examples"];
            for example in bodies.as_object().into_iter().flat_map(|e| e.values()) {
                let summary = example["summary"].as_str().expect("a summary");
                let method = Method::from_bytes(method.to_uppercase().as_bytes()).unwrap();
                found.push((
                    principal(summary),
                    method,
                    path.clone(),
                    example["value"].clone(),
                ));
            }
        }
    }
    let schemas = &doc["components"]["schemas"];
    for (schema, who) in [
        ("CreateParentRequest", As::Admin),
        ("CreateSubsidiaryRequest", As::Tenant(HSBC)),
    ] {
        for value in schemas[schema]["examples"].as_array().expect(schema) {
            let path = "/api/v1/tenants".to_owned();
            found.push((who, Method::POST, path, value.clone()));
        }
    }
    found
}

#[tokio::test]
async fn every_request_example_is_accepted_as_the_principal_it_names() {
    let app = TestApp::spawn().await;
    let doc: Value = app
        .client
        .get(app.url("/openapi.json"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let examples = examples(&doc);
    assert!(examples.len() >= 5, "{} examples", examples.len());
    for (who, method, path, body) in examples {
        // Each on a fresh seeded database: two examples may create the same name.
        let app = TestApp::spawn().await;
        let reply = app
            .client
            .request(method.clone(), app.url(&path))
            .bearer_auth(app.token(who))
            .json(&body)
            .send()
            .await
            .unwrap();
        let status = reply.status();
        let text = reply.text().await.unwrap();
        assert!(
            status.is_success(),
            "{method} {path} {body}: {status} {text}"
        );
    }
}
