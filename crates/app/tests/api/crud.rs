use reqwest::StatusCode;
use serde_json::json;

use crate::helpers::*;

#[tokio::test]
async fn the_admin_creates_a_parent_and_reads_it_back() {
    let app = TestApp::spawn().await;
    let response = app
        .create(
            As::Admin,
            &json!({"name": "  Standard Chartered ", "tenant_type": "parent", "metadata": {"country": "UK"}}),
        )
        .await;
    let location = header(&response, "location");
    let etag = header(&response, "etag");
    let created = json(response, StatusCode::CREATED).await;
    let id = created["tenant_id"].as_str().expect("an id");
    assert_eq!(location, format!("/api/v1/tenants/{id}"));
    assert!(etag.starts_with('"') && etag.ends_with('"'), "{etag}");
    assert_eq!(created["name"], "Standard Chartered");
    assert_eq!(created["tenant_type"], "parent");
    assert_eq!(created["parent_tenant_id"], serde_json::Value::Null);
    assert_eq!(created["metadata"], json!({"country": "UK"}));
    let keys: Vec<&String> = created.as_object().expect("an object").keys().collect();
    assert_eq!(
        keys.len(),
        7,
        "exactly the documented tenant fields: {keys:?}"
    );
    let created_at = created["created_at"].as_str().expect("a timestamp");
    assert!(chrono::DateTime::parse_from_rfc3339(created_at).is_ok());
    assert!(created_at.ends_with('Z'), "{created_at}");

    let read = app.get_tenant(As::Admin, id).await;
    assert_eq!(header(&read, "etag"), etag);
    assert_eq!(json(read, StatusCode::OK).await, created);
}

#[tokio::test]
async fn a_parent_creates_a_subsidiary_with_absent_metadata_as_empty_object() {
    let app = TestApp::spawn().await;
    let created = json(
        app.create(
            As::Tenant(HSBC),
            &json!({"name": "HSBC Singapore", "tenant_type": "subsidiary", "parent_tenant_id": HSBC}),
        )
        .await,
        StatusCode::CREATED,
    )
    .await;
    assert_eq!(created["parent_tenant_id"], HSBC);
    assert_eq!(created["metadata"], json!({}));
    let id = created["tenant_id"].as_str().expect("an id").to_owned();
    assert!(app.visible_ids(As::Tenant(HSBC)).await.contains(&id));
    assert!(!app.visible_ids(As::Tenant(BARCLAYS)).await.contains(&id));
}

#[tokio::test]
async fn put_replaces_name_and_metadata_and_changes_the_etag() {
    let app = TestApp::spawn().await;
    let before = app.get_tenant(As::Tenant(HSBC_HK), HSBC_HK).await;
    let old_etag = header(&before, "etag");
    // HSBC renames its subsidiary (a subsidiary does not choose its own name).
    let response = app
        .update(
            As::Tenant(HSBC),
            HSBC_HK,
            &json!({"name": "HSBC Hong Kong Ltd"}),
            Some(&old_etag),
        )
        .await;
    let new_etag = header(&response, "etag");
    let updated = json(response, StatusCode::OK).await;
    assert_ne!(new_etag, old_etag);
    assert_eq!(updated["name"], "HSBC Hong Kong Ltd");
    assert_eq!(updated["metadata"], json!({}), "absent metadata means {{}}");
    assert_eq!(updated["parent_tenant_id"], HSBC);
    assert!(updated["updated_at"].as_str() > updated["created_at"].as_str());
}

#[tokio::test]
async fn delete_answers_204_with_no_body_and_the_tenant_is_gone() {
    let app = TestApp::spawn().await;
    let response = app.delete(As::Tenant(HSBC), HSBC_LONDON, "", None).await;
    assert_eq!(response.status(), StatusCode::NO_CONTENT);
    assert!(response.bytes().await.expect("body").is_empty());
    for who in [As::Admin, As::Tenant(HSBC), As::Tenant(HSBC_LONDON)] {
        assert_eq!(
            app.get_tenant(who, HSBC_LONDON).await.status(),
            StatusCode::NOT_FOUND
        );
    }
}

#[tokio::test]
async fn health_reports_the_database_and_needs_no_token() {
    let app = TestApp::spawn().await;
    let response = app
        .client
        .get(app.url("/health"))
        .send()
        .await
        .expect("GET /health");
    let body = json(response, StatusCode::OK).await;
    assert_eq!(body["status"], "healthy");
    assert_eq!(body["database"], "connected");
    assert_eq!(body["version"], env!("CARGO_PKG_VERSION"));
}

#[tokio::test]
async fn openapi_and_docs_are_served_without_auth() {
    let app = TestApp::spawn().await;
    let spec = app
        .client
        .get(app.url("/openapi.json"))
        .send()
        .await
        .expect("spec");
    let spec = json(spec, StatusCode::OK).await;
    assert!(spec["openapi"]
        .as_str()
        .unwrap_or_default()
        .starts_with("3."));
    assert!(spec["paths"]["/api/v1/tenants/{tenant_id}"].is_object());
    let docs = app.client.get(app.url("/docs")).send().await.expect("docs");
    assert_eq!(docs.status(), StatusCode::OK);
}

#[tokio::test]
async fn request_ids_are_echoed_or_generated() {
    let app = TestApp::spawn().await;
    let echoed = app
        .client
        .get(app.url("/health"))
        .header("X-Request-Id", "trace-42")
        .send()
        .await
        .expect("GET");
    assert_eq!(header(&echoed, "x-request-id"), "trace-42");
    let generated = app.get_tenant(As::Admin, "not-a-uuid").await;
    assert!(!header(&generated, "x-request-id").is_empty());
}
