use reqwest::StatusCode;

use crate::helpers::*;

#[tokio::test]
async fn the_demo_visibility_matrix_holds() {
    let app = TestApp::spawn().await;
    let matrix = [
        (As::Tenant(HSBC), ids(&[HSBC, HSBC_HK, HSBC_LONDON])),
        (As::Tenant(HSBC_HK), ids(&[HSBC_HK])),
        (As::Tenant(HSBC_LONDON), ids(&[HSBC_LONDON])),
        (As::Tenant(BARCLAYS), ids(&[BARCLAYS, BARCLAYS_UK])),
        (As::Tenant(BARCLAYS_UK), ids(&[BARCLAYS_UK])),
        (
            As::Admin,
            ids(&[HSBC, HSBC_HK, HSBC_LONDON, BARCLAYS, BARCLAYS_UK]),
        ),
    ];
    for (who, expected) in matrix {
        assert_eq!(sorted(app.visible_ids(who).await), expected);
        // Every id a principal lists, it can also read one by one; every other it cannot.
        for id in [HSBC, HSBC_HK, HSBC_LONDON, BARCLAYS, BARCLAYS_UK] {
            let status = app.get_tenant(who, id).await.status();
            let visible = expected.iter().any(|e| e == id);
            let want = if visible {
                StatusCode::OK
            } else {
                StatusCode::NOT_FOUND
            };
            assert_eq!(status, want, "{id}");
        }
    }
}

#[tokio::test]
async fn an_unknown_tenant_principal_sees_nothing() {
    let app = TestApp::spawn().await;
    let page = json(
        app.list(As::Tenant("00000000-0000-4000-8000-0000000000ff"), "")
            .await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(page["tenants"], serde_json::json!([]));
    assert_eq!(page["total_count"], 0);
}

#[tokio::test]
async fn invisible_and_missing_ids_answer_identically() {
    let app = TestApp::spawn().await;
    let invisible = app.get_tenant(As::Tenant(HSBC), BARCLAYS).await;
    let missing = app
        .get_tenant(As::Tenant(HSBC), "7a1c2b3d-0000-4000-8000-000000000999")
        .await;
    assert_eq!(invisible.status(), StatusCode::NOT_FOUND);
    assert_eq!(missing.status(), StatusCode::NOT_FOUND);
    let (a, b) = (
        invisible.text().await.expect("body"),
        missing.text().await.expect("body"),
    );
    assert_eq!(a, b);

    // The same for writes: updating or deleting another organization's tenant.
    let body = serde_json::json!({"name": "Hijacked"});
    let (code, _) = error_code(
        app.update(As::Tenant(HSBC), BARCLAYS_UK, &body, None).await,
        StatusCode::NOT_FOUND,
    )
    .await;
    assert_eq!(code, "NOT_FOUND");
    let (code, _) = error_code(
        app.delete(As::Tenant(HSBC), BARCLAYS_UK, "", None).await,
        StatusCode::NOT_FOUND,
    )
    .await;
    assert_eq!(code, "NOT_FOUND");
    // And nothing changed.
    let barclays_uk = json(app.get_tenant(As::Admin, BARCLAYS_UK).await, StatusCode::OK).await;
    assert_eq!(barclays_uk["name"], "Barclays UK");
}
