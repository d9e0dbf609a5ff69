//! The name oracle: a rename by a principal that cannot see every tenant the new name could
//! collide with is 403, identical whether the name is taken or not.

use reqwest::StatusCode;
use serde_json::json;

use crate::helpers::*;

#[tokio::test]
async fn a_parent_renaming_itself_gets_the_same_403_for_a_taken_and_a_free_name() {
    let app = TestApp::spawn().await;
    let mut bodies = Vec::new();
    for name in ["bArClAyS", "Nobody Has This Name"] {
        let response = app
            .update(As::Tenant(HSBC), HSBC, &json!({"name": name}), None)
            .await;
        let (code, body) = error_code(response, StatusCode::FORBIDDEN).await;
        assert_eq!(code, "FORBIDDEN");
        bodies.push(body);
    }
    assert_eq!(bodies[0], bodies[1]);
    let hsbc = json(app.get_tenant(As::Admin, HSBC).await, StatusCode::OK).await;
    assert_eq!(hsbc["name"], "HSBC");
}

#[tokio::test]
async fn a_subsidiary_renaming_itself_onto_its_sibling_is_403_not_409() {
    let app = TestApp::spawn().await;
    let response = app
        .update(
            As::Tenant(HSBC_HK),
            HSBC_HK,
            &json!({"name": "HSBC London"}),
            None,
        )
        .await;
    let (code, _) = error_code(response, StatusCode::FORBIDDEN).await;
    assert_eq!(code, "FORBIDDEN");
}

#[tokio::test]
async fn forbidden_comes_after_not_found_and_before_if_match() {
    let app = TestApp::spawn().await;
    // Invisible: 404, whatever the name.
    let response = app
        .update(As::Tenant(HSBC), BARCLAYS, &json!({"name": "HSBC"}), None)
        .await;
    error_code(response, StatusCode::NOT_FOUND).await;
    // A forbidden rename with a stale If-Match: the rename is refused first.
    let response = app
        .update(
            As::Tenant(HSBC),
            HSBC,
            &json!({"name": "Other"}),
            Some("\"999\""),
        )
        .await;
    error_code(response, StatusCode::FORBIDDEN).await;
    // An allowed rename with a stale If-Match onto a taken name: 412 before 409.
    let response = app
        .update(
            As::Tenant(HSBC),
            HSBC_HK,
            &json!({"name": "HSBC London"}),
            Some("\"999\""),
        )
        .await;
    error_code(response, StatusCode::PRECONDITION_FAILED).await;
}

#[tokio::test]
async fn a_parent_renames_its_subsidiary_and_sees_its_duplicates() {
    let app = TestApp::spawn().await;
    let response = app
        .update(
            As::Tenant(HSBC),
            HSBC_HK,
            &json!({"name": "HSBC Asia"}),
            None,
        )
        .await;
    assert_eq!(json(response, StatusCode::OK).await["name"], "HSBC Asia");
    // The parent sees every sibling: a duplicate is no oracle.
    let response = app
        .update(
            As::Tenant(HSBC),
            HSBC_HK,
            &json!({"name": "hsbc london"}),
            None,
        )
        .await;
    let (code, _) = error_code(response, StatusCode::CONFLICT).await;
    assert_eq!(code, "DUPLICATE_NAME");
}

#[tokio::test]
async fn the_admin_renames_anything() {
    let app = TestApp::spawn().await;
    for (id, name) in [
        (HSBC, "HSBC Holdings"),
        (BARCLAYS_UK, "Barclays Britain"),
        (HSBC_LONDON, "HSBC UK"),
    ] {
        let response = app
            .update(As::Admin, id, &json!({"name": name}), None)
            .await;
        assert_eq!(json(response, StatusCode::OK).await["name"], name);
    }
    let response = app
        .update(As::Admin, BARCLAYS, &json!({"name": "hsbc HOLDINGS"}), None)
        .await;
    let (code, _) = error_code(response, StatusCode::CONFLICT).await;
    assert_eq!(code, "DUPLICATE_NAME");
}

#[tokio::test]
async fn keeping_the_name_is_a_metadata_update_the_tenant_makes_itself() {
    let app = TestApp::spawn().await;
    for (me, name) in [(HSBC, "HSBC"), (HSBC_HK, "HSBC Hong Kong")] {
        // Surrounding white space is trimmed before the comparison.
        let body = json!({"name": format!("  {name} "), "metadata": {"tier": 1}});
        let response = app.update(As::Tenant(me), me, &body, None).await;
        let updated = json(response, StatusCode::OK).await;
        assert_eq!(updated["name"], name);
        assert_eq!(updated["metadata"], json!({"tier": 1}));
    }
}
