use reqwest::StatusCode;
use serde_json::json;

use crate::helpers::*;

#[tokio::test]
async fn a_deleted_name_can_be_used_again() {
    let app = TestApp::spawn().await;
    let response = app
        .delete(As::Tenant(BARCLAYS), BARCLAYS_UK, "", None)
        .await;
    assert_eq!(response.status(), StatusCode::NO_CONTENT);
    let again =
        json!({"name": "Barclays UK", "tenant_type": "subsidiary", "parent_tenant_id": BARCLAYS});
    let created = json(
        app.create(As::Tenant(BARCLAYS), &again).await,
        StatusCode::CREATED,
    )
    .await;
    assert_ne!(created["tenant_id"], BARCLAYS_UK);
    assert_eq!(app.visible_ids(As::Tenant(BARCLAYS)).await.len(), 2);
    // The deleted one stays deleted for every principal.
    assert_eq!(
        app.get_tenant(As::Admin, BARCLAYS_UK).await.status(),
        StatusCode::NOT_FOUND
    );
}

#[tokio::test]
async fn cascade_deletes_the_parent_and_its_live_subsidiaries_together() {
    let app = TestApp::spawn().await;
    let response = app.delete(As::Admin, HSBC, "?cascade=true", None).await;
    assert_eq!(response.status(), StatusCode::NO_CONTENT);
    assert_eq!(
        sorted(app.visible_ids(As::Admin).await),
        ids(&[BARCLAYS, BARCLAYS_UK])
    );
    // A deleted parent's principal sees nothing, nor do its former subsidiaries.
    for who in [
        As::Tenant(HSBC),
        As::Tenant(HSBC_HK),
        As::Tenant(HSBC_LONDON),
    ] {
        assert!(app.visible_ids(who).await.is_empty());
    }
}

#[tokio::test]
async fn if_match_guards_updates_and_deletes() {
    let app = TestApp::spawn().await;
    let current = header(&app.get_tenant(As::Admin, BARCLAYS_UK).await, "etag");
    let stale = "\"999\"";

    let (code, _) = error_code(
        app.update(
            As::Admin,
            BARCLAYS_UK,
            &json!({"name": "Renamed"}),
            Some(stale),
        )
        .await,
        StatusCode::PRECONDITION_FAILED,
    )
    .await;
    assert_eq!(code, "PRECONDITION_FAILED");
    let (code, _) = error_code(
        app.delete(As::Admin, BARCLAYS_UK, "", Some(stale)).await,
        StatusCode::PRECONDITION_FAILED,
    )
    .await;
    assert_eq!(code, "PRECONDITION_FAILED");
    let unchanged = json(app.get_tenant(As::Admin, BARCLAYS_UK).await, StatusCode::OK).await;
    assert_eq!(unchanged["name"], "Barclays UK");

    // The first writer with the current ETag wins; the second, holding the same ETag, loses.
    let first = app
        .update(
            As::Admin,
            BARCLAYS_UK,
            &json!({"name": "Barclays UK plc"}),
            Some(&current),
        )
        .await;
    assert_eq!(first.status(), StatusCode::OK);
    let second = app
        .update(
            As::Admin,
            BARCLAYS_UK,
            &json!({"name": "Barclays Britain"}),
            Some(&current),
        )
        .await;
    assert_eq!(second.status(), StatusCode::PRECONDITION_FAILED);
    let deleted = app.delete(As::Admin, BARCLAYS_UK, "", Some("*")).await;
    assert_eq!(deleted.status(), StatusCode::NO_CONTENT);
}

#[tokio::test]
async fn pages_are_ordered_by_creation_then_id_and_stable() {
    let app = TestApp::spawn().await;
    for n in 0..7 {
        let body = json!({"name": format!("Branch {n}"), "tenant_type": "subsidiary", "parent_tenant_id": HSBC});
        json(
            app.create(As::Tenant(HSBC), &body).await,
            StatusCode::CREATED,
        )
        .await;
    }
    let all = app.visible_ids(As::Tenant(HSBC)).await;
    assert_eq!(all.len(), 10);
    let mut paged = Vec::new();
    for offset in (0..10).step_by(3) {
        let page = json(
            app.list(As::Tenant(HSBC), &format!("?limit=3&offset={offset}"))
                .await,
            StatusCode::OK,
        )
        .await;
        assert_eq!(page["total_count"], 10);
        assert_eq!(page["limit"], 3);
        assert_eq!(page["offset"], offset);
        for t in page["tenants"].as_array().expect("tenants") {
            paged.push(t["tenant_id"].as_str().expect("id").to_owned());
        }
    }
    assert_eq!(
        paged, all,
        "pages concatenate to the full list, nothing twice"
    );
    let full = json(
        app.list(As::Tenant(HSBC), "?limit=1000").await,
        StatusCode::OK,
    )
    .await;
    let keys: Vec<(String, String)> = full["tenants"]
        .as_array()
        .expect("tenants")
        .iter()
        .map(|t| {
            (
                t["created_at"].as_str().unwrap_or_default().to_owned(),
                t["tenant_id"].as_str().unwrap_or_default().to_owned(),
            )
        })
        .collect();
    let mut expected = keys.clone();
    expected.sort();
    assert_eq!(keys, expected);

    let subsidiaries = json(
        app.list(As::Tenant(HSBC), "?tenant_type=subsidiary").await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(subsidiaries["total_count"], 9);
}
