use reqwest::StatusCode;
use serde_json::json;

use crate::helpers::*;

#[tokio::test]
async fn a_missing_or_bad_token_is_401_with_a_bearer_challenge() {
    let app = TestApp::spawn().await;
    let url = app.url("/api/v1/tenants");
    let requests = [
        app.client.get(&url),
        app.client.get(&url).bearer_auth("not-a-jwt"),
        app.client
            .get(&url)
            .header("Authorization", "Basic dXNlcjpwYXNz"),
    ];
    for request in requests {
        let response = request.send().await.expect("GET");
        assert!(header(&response, "www-authenticate").starts_with("Bearer"));
        let (code, _) = error_code(response, StatusCode::UNAUTHORIZED).await;
        assert_eq!(code, "UNAUTHENTICATED");
    }
}

#[tokio::test]
async fn validation_errors_name_the_field() {
    let app = TestApp::spawn().await;
    let cases = [
        (json!({"name": " ", "tenant_type": "parent"}), "name"),
        (json!({"name": "X", "tenant_type": "bank"}), "tenant_type"),
        (
            json!({"name": "X", "tenant_type": "parent", "parent_tenant_id": HSBC}),
            "parent_tenant_id",
        ),
        (
            json!({"name": "X", "tenant_type": "parent", "metadata": [1]}),
            "metadata",
        ),
        (
            json!({"name": "X", "tenant_type": "parent", "owner": "me"}),
            "owner",
        ),
    ];
    for (body, field) in cases {
        let (code, error) =
            error_code(app.create(As::Admin, &body).await, StatusCode::BAD_REQUEST).await;
        assert_eq!(code, "VALIDATION_ERROR");
        assert_eq!(error["error"]["details"]["field"], field, "{body}");
    }
    let (_, error) = error_code(
        app.update(
            As::Admin,
            HSBC,
            &json!({"name": "HSBC", "tenant_type": "subsidiary"}),
            None,
        )
        .await,
        StatusCode::BAD_REQUEST,
    )
    .await;
    assert_eq!(error["error"]["details"]["field"], "tenant_type");
    for query in [
        "?limit=0",
        "?limit=1001",
        "?offset=-1",
        "?tenant_type=bank",
        "?limit=ten",
    ] {
        let (code, _) = error_code(app.list(As::Admin, query).await, StatusCode::BAD_REQUEST).await;
        assert_eq!(code, "VALIDATION_ERROR", "{query}");
    }
    let (code, _) = error_code(
        app.get_tenant(As::Admin, "42").await,
        StatusCode::BAD_REQUEST,
    )
    .await;
    assert_eq!(code, "VALIDATION_ERROR");
}

#[tokio::test]
async fn forbidden_writes_are_403() {
    let app = TestApp::spawn().await;
    let (code, _) = error_code(
        app.create(
            As::Tenant(HSBC),
            &json!({"name": "Rogue Bank", "tenant_type": "parent"}),
        )
        .await,
        StatusCode::FORBIDDEN,
    )
    .await;
    assert_eq!(code, "FORBIDDEN");
    // No tenant deletes itself, not even a parent.
    let (code, _) = error_code(
        app.delete(As::Tenant(HSBC_HK), HSBC_HK, "", None).await,
        StatusCode::FORBIDDEN,
    )
    .await;
    assert_eq!(code, "FORBIDDEN");
    assert_eq!(app.visible_ids(As::Admin).await.len(), 5);
}

#[tokio::test]
async fn conflicts_are_409_with_precise_codes() {
    let app = TestApp::spawn().await;
    let duplicate =
        json!({"name": "hsbc hong KONG", "tenant_type": "subsidiary", "parent_tenant_id": HSBC});
    let (code, _) = error_code(
        app.create(As::Tenant(HSBC), &duplicate).await,
        StatusCode::CONFLICT,
    )
    .await;
    assert_eq!(code, "DUPLICATE_NAME");
    let top_level = json!({"name": "BARCLAYS", "tenant_type": "parent"});
    let (code, _) = error_code(
        app.create(As::Admin, &top_level).await,
        StatusCode::CONFLICT,
    )
    .await;
    assert_eq!(code, "DUPLICATE_NAME");
    let depth =
        json!({"name": "Kowloon", "tenant_type": "subsidiary", "parent_tenant_id": HSBC_HK});
    let (code, _) = error_code(
        app.create(As::Tenant(HSBC), &depth).await,
        StatusCode::CONFLICT,
    )
    .await;
    assert_eq!(code, "HIERARCHY_DEPTH_EXCEEDED");
    let (code, _) = error_code(
        app.delete(As::Admin, HSBC, "", None).await,
        StatusCode::CONFLICT,
    )
    .await;
    assert_eq!(code, "HAS_SUBSIDIARIES");
    assert_eq!(app.visible_ids(As::Admin).await.len(), 5);
}

#[tokio::test]
async fn a_subsidiary_under_another_organization_is_404() {
    let app = TestApp::spawn().await;
    let body = json!({"name": "Trojan", "tenant_type": "subsidiary", "parent_tenant_id": BARCLAYS});
    let (code, _) = error_code(
        app.create(As::Tenant(HSBC), &body).await,
        StatusCode::NOT_FOUND,
    )
    .await;
    assert_eq!(code, "NOT_FOUND");
    assert_eq!(
        sorted(app.visible_ids(As::Tenant(BARCLAYS)).await),
        ids(&[BARCLAYS, BARCLAYS_UK])
    );
}

#[tokio::test]
async fn framework_errors_use_the_error_envelope() {
    let app = TestApp::spawn().await;
    let token = app.token(As::Admin);
    let unknown = app
        .client
        .get(app.url("/api/v1/nope"))
        .bearer_auth(&token)
        .send()
        .await
        .expect("GET");
    assert_eq!(
        error_code(unknown, StatusCode::NOT_FOUND).await.0,
        "NOT_FOUND"
    );

    let method = app
        .client
        .patch(app.url("/api/v1/tenants"))
        .bearer_auth(&token)
        .send()
        .await
        .expect("PATCH");
    assert_eq!(
        error_code(method, StatusCode::METHOD_NOT_ALLOWED).await.0,
        "METHOD_NOT_ALLOWED"
    );

    let media = app
        .client
        .post(app.url("/api/v1/tenants"))
        .bearer_auth(&token)
        .header("Content-Type", "text/plain")
        .body("name=x")
        .send()
        .await
        .expect("POST");
    assert_eq!(
        error_code(media, StatusCode::UNSUPPORTED_MEDIA_TYPE)
            .await
            .0,
        "UNSUPPORTED_MEDIA_TYPE"
    );

    let malformed = app
        .client
        .post(app.url("/api/v1/tenants"))
        .bearer_auth(&token)
        .header("Content-Type", "application/json")
        .body("{\"name\": ")
        .send()
        .await
        .expect("POST");
    assert_eq!(
        error_code(malformed, StatusCode::BAD_REQUEST).await.0,
        "VALIDATION_ERROR"
    );

    let huge = json!({"name": "Big", "tenant_type": "parent", "metadata": {"blob": "x".repeat(300 * 1024)}});
    let too_large = app.create(As::Admin, &huge).await;
    assert_eq!(
        error_code(too_large, StatusCode::PAYLOAD_TOO_LARGE).await.0,
        "PAYLOAD_TOO_LARGE"
    );
    assert_eq!(app.visible_ids(As::Admin).await.len(), 5);
}
