//! The owner's side of `mtdb migrate` and `mtdb seed`: the login role and the demo.

use futures::future::join_all;
use mtdb_domain::ListQuery;
use mtdb_postgres_admin::{ensure_login_role, seed_demo, AdminError};
use mtdb_testing::{with_database, TestDatabase};

use crate::support::*;

#[tokio::test]
async fn login_role_provisioning_is_idempotent_even_when_concurrent() {
    let db = TestDatabase::create().await;
    let runs = (0..4).map(|_| ensure_login_role(db.admin_url(), db.app_url()));
    for result in join_all(runs).await {
        result.unwrap();
    }
    // Still usable, with the same password.
    let page = repository(&db)
        .list(&admin(), &ListQuery::default())
        .await
        .unwrap();
    assert_eq!(page.total_count, 0);
}

#[tokio::test]
async fn the_login_role_must_not_be_the_owner_and_needs_a_password() {
    let db = TestDatabase::create().await;
    let err = ensure_login_role(db.admin_url(), db.admin_url())
        .await
        .unwrap_err();
    assert!(matches!(err, AdminError::LoginIsOwner(_)), "{err:?}");

    let no_password = with_database("postgres://someone@127.0.0.1:1/x", db.name());
    let err = ensure_login_role(db.admin_url(), &no_password)
        .await
        .unwrap_err();
    assert!(matches!(err, AdminError::MissingCredentials), "{err:?}");
}

#[tokio::test]
async fn the_seed_is_idempotent() {
    let db = seeded().await;
    assert_eq!(seed_demo(db.admin_url()).await.unwrap(), 0);
    let page = repository(&db)
        .list(&admin(), &ListQuery::default())
        .await
        .unwrap();
    assert_eq!(page.total_count, 5);
    let hk = page
        .tenants
        .iter()
        .find(|t| t.id == id(HSBC_HONG_KONG))
        .unwrap();
    assert_eq!(hk.metadata.as_map()["currency"], "HKD");
}
