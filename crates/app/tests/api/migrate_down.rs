//! `mtdb migrate --down-to`, the real binary, over live rows; and the API while the
//! schema is reverted: 503, never 500 (docs/api.md, "Errors").

use mtdb_postgres_admin::{migrate_down, seed_demo, DataLoss};
use mtdb_testing::TestDatabase;
use reqwest::StatusCode;
use tokio_postgres::NoTls;

use crate::helpers::*;
use crate::migrate_role::{mtdb_migrate, stderr};

/// Migration history rows and tables of the schema, as the owner sees them.
async fn schema_state(db: &TestDatabase) -> (i64, i64) {
    let (client, connection) = tokio_postgres::connect(db.admin_url(), NoTls)
        .await
        .expect("connect as the owner");
    tokio::spawn(connection);
    let row = client
        .query_one(
            "select (select count(*) from refinery_schema_history), \
                    (select count(*) from pg_class \
                      where relname in ('tenants', 'tenant_audit') and relkind = 'r')",
            &[],
        )
        .await
        .expect("read the schema");
    (row.get(0), row.get(1))
}

#[tokio::test]
async fn down_to_zero_over_the_demo_needs_allow_data_loss() {
    // The attack (by mistake): `--down-to 0` on a live database.
    let db = TestDatabase::create().await;
    seed_demo(db.admin_url()).await.expect("seed");
    let before = schema_state(&db).await;

    let refused = mtdb_migrate(&db, db.app_url(), &["--down-to", "0"]).await;
    let after_refusal = schema_state(&db).await;
    let allowed = mtdb_migrate(&db, db.app_url(), &["--down-to", "0", "--allow-data-loss"]).await;
    let after_revert = schema_state(&db).await;

    assert_ne!(refused.status.code(), Some(0), "{refused:?}");
    let message = stderr(&refused);
    assert!(message.contains("tenants: 5 rows"), "{message}");
    assert!(message.contains("tenant_audit: "), "{message}");
    assert!(message.contains("--allow-data-loss"), "{message}");
    assert_eq!(after_refusal, before);
    assert_eq!(before.1, 2);

    assert_eq!(allowed.status.code(), Some(0), "{allowed:?}");
    assert!(stderr(&allowed).contains("dropping data"), "logged at WARN");
    assert_eq!(after_revert, (0, 0));
}

#[tokio::test]
async fn the_api_answers_503_while_the_schema_is_reverted() {
    let app = TestApp::spawn().await;
    assert_eq!(
        app.get_tenant(As::Admin, HSBC).await.status(),
        StatusCode::OK
    );

    migrate_down(app.admin_url(), 0, DataLoss::Allow)
        .await
        .expect("revert as the owner");

    for who in [As::Admin, As::Tenant(HSBC)] {
        let (code, _) = error_code(
            app.get_tenant(who, HSBC).await,
            StatusCode::SERVICE_UNAVAILABLE,
        )
        .await;
        assert_eq!(code, "SERVICE_UNAVAILABLE");
        let (code, _) = error_code(app.list(who, "").await, StatusCode::SERVICE_UNAVAILABLE).await;
        assert_eq!(code, "SERVICE_UNAVAILABLE");
    }
    let health = app.client.get(app.url("/health")).send().await.unwrap();
    let body = json(health, StatusCode::SERVICE_UNAVAILABLE).await;
    assert_eq!(body["status"], "unhealthy");
}

#[tokio::test]
async fn the_api_answers_503_for_reads_while_the_grants_are_reverted() {
    // Down to V2: the tables and rows stay, V3's grants and policies go (and V7's writer
    // stamps, whose values the audit trail keeps: hence the flag).
    let app = TestApp::spawn().await;
    migrate_down(app.admin_url(), 2, DataLoss::Allow)
        .await
        .expect("a revert that keeps every tenant");

    for who in [As::Admin, As::Tenant(HSBC)] {
        let (code, _) = error_code(
            app.get_tenant(who, HSBC).await,
            StatusCode::SERVICE_UNAVAILABLE,
        )
        .await;
        assert_eq!(code, "SERVICE_UNAVAILABLE");
        let (code, _) = error_code(app.list(who, "").await, StatusCode::SERVICE_UNAVAILABLE).await;
        assert_eq!(code, "SERVICE_UNAVAILABLE");
    }
}
