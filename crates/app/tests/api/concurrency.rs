use futures::future::join_all;
use reqwest::StatusCode;
use serde_json::json;

use crate::helpers::*;

#[tokio::test]
async fn simultaneous_creates_of_one_name_give_one_201_and_the_rest_409() {
    let app = TestApp::spawn().await;
    let body = json!({"name": "HSBC Paris", "tenant_type": "subsidiary", "parent_tenant_id": HSBC});
    let attempts = (0..12).map(|_| app.create(As::Tenant(HSBC), &body));
    let responses = join_all(attempts).await;
    let mut created = 0;
    for response in responses {
        match response.status() {
            StatusCode::CREATED => created += 1,
            StatusCode::CONFLICT => {
                assert_eq!(
                    error_code(response, StatusCode::CONFLICT).await.0,
                    "DUPLICATE_NAME"
                )
            }
            other => panic!("unexpected {other}"),
        }
    }
    assert_eq!(created, 1);
    assert_eq!(app.visible_ids(As::Tenant(HSBC)).await.len(), 4);
}

#[tokio::test]
async fn interleaved_principals_never_see_each_other() {
    let app = TestApp::spawn().await;
    let app = &app;
    let mut checks = Vec::new();
    for round in 0..10 {
        let who = [As::Tenant(HSBC_HK), As::Tenant(BARCLAYS), As::Admin][round % 3];
        checks.push(async move { (round % 3, app.visible_ids(who).await) });
    }
    for (kind, seen) in join_all(checks).await {
        let expected = match kind {
            0 => ids(&[HSBC_HK]),
            1 => ids(&[BARCLAYS, BARCLAYS_UK]),
            _ => ids(&[HSBC, HSBC_HK, HSBC_LONDON, BARCLAYS, BARCLAYS_UK]),
        };
        assert_eq!(sorted(seen), expected);
    }
}
