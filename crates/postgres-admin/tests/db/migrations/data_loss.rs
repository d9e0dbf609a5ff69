//! `migrate --down-to` never drops rows unless told to (docs/security.md, "Reverting"):
//! every check runs before any revert, and a refusal changes nothing.

use mtdb_postgres_admin::{migrate_down, migrate_down_to, migrate_up, AdminError, DataLoss};
use mtdb_testing::TestDatabase;

use crate::support::*;

/// (history rows, tenants, audit rows) as the owner sees them past forced RLS.
async fn counts(db: &TestDatabase) -> (i64, i64, i64) {
    let owner = owner_client(db).await;
    owner
        .batch_execute(
            "begin; alter table tenants no force row level security; \
             alter table tenant_audit no force row level security;",
        )
        .await
        .unwrap();
    let row = owner
        .query_one(
            "select (select count(*) from refinery_schema_history), \
                    (select count(*) from tenants), (select count(*) from tenant_audit)",
            &[],
        )
        .await
        .unwrap();
    owner.batch_execute("rollback").await.unwrap();
    (row.get(0), row.get(1), row.get(2))
}

#[tokio::test]
async fn down_to_zero_over_live_rows_is_refused_and_changes_nothing() {
    let db = seeded().await;
    let before = counts(&db).await;
    assert_eq!(before.1, 5);

    let err = migrate_down_to(db.admin_url(), 0).await.unwrap_err();

    let AdminError::DataLoss { target, lost } = &err else {
        panic!("{err:?}")
    };
    assert_eq!(*target, 0);
    assert_eq!(
        lost,
        // The seed's rows carry a principal stamp (V7) but no sub.
        &format!(
            "tenants: 5 rows, tenant_audit: {} rows, tenants.written_principal: 5 rows",
            before.2
        )
    );
    assert!(err.to_string().contains("--allow-data-loss"), "{err}");
    assert_eq!(counts(&db).await, before, "history and rows intact");
    let mut client = app_client(&db).await;
    assert_eq!(visible(&mut client, Ctx::Admin).await.unwrap(), 5);
}

#[tokio::test]
async fn down_to_zero_with_allow_drops_the_rows_and_up_starts_empty() {
    let db = seeded().await;
    assert_eq!(
        migrate_down(db.admin_url(), 0, DataLoss::Allow)
            .await
            .unwrap()
            .last(),
        Some(&1)
    );
    let owner = owner_client(&db).await;
    let tables: i64 = owner
        .query_one(
            "select count(*) from pg_class where relname in ('tenants', 'tenant_audit')",
            &[],
        )
        .await
        .unwrap()
        .get(0);
    assert_eq!(tables, 0);
    migrate_up(db.admin_url()).await.unwrap();
    let (_, tenants, audit) = counts(&db).await;
    assert_eq!((tenants, audit), (0, 0));
}

#[tokio::test]
async fn reverts_that_drop_only_empty_tables_need_no_flag() {
    // A database migrated and never used: nothing to lose.
    let db = TestDatabase::create().await;
    let reverted = migrate_down_to(db.admin_url(), 0).await.unwrap();
    assert_eq!(reverted.last(), Some(&1));
}
