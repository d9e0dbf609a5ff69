//! Migrations go up, all the way down, and up again to the very same schema. These tests
//! are about the owner's work, so they connect as the owner.

use std::process::Command;

use mtdb_postgres_admin::{migrate_down, migrate_down_to, migrate_up, DataLoss};
use mtdb_testing::TestDatabase;

use crate::support::*;

/// Everything the migrations create in this database, by kind, from the catalog.
async fn project_objects(db: &TestDatabase) -> Vec<String> {
    owner_client(db)
        .await
        .query(
            "select 'relation ' || c.relname from pg_class c \
               join pg_namespace n on n.oid = c.relnamespace \
              where n.nspname = 'public' and c.relname not like 'refinery_schema_history%' \
             union all \
             select 'function ' || p.proname from pg_proc p \
               join pg_namespace n on n.oid = p.pronamespace where n.nspname = 'public' \
             union all \
             select 'type ' || t.typname from pg_type t \
               join pg_namespace n on n.oid = t.typnamespace \
              where n.nspname = 'public' and t.typname not like '%refinery_schema_history' \
             union all \
             select 'policy ' || polname from pg_policy \
             union all \
             select 'trigger ' || tgname from pg_trigger where not tgisinternal \
             union all \
             select 'schema grant ' || a::text from pg_namespace n, unnest(n.nspacl) a \
              where n.nspname = 'public' and a::text like 'mtdb_%' \
             order by 1",
            &[],
        )
        .await
        .unwrap()
        .iter()
        .map(|r| r.get(0))
        .collect()
}

/// `pg_dump --schema-only` of the database, as the owner, without the lines that differ
/// between two dumps of one schema.
fn schema_dump(db: &TestDatabase) -> String {
    let bindir = Command::new("pg_config").arg("--bindir").output().unwrap();
    let pg_dump = format!(
        "{}/pg_dump",
        String::from_utf8(bindir.stdout).unwrap().trim()
    );
    let out = Command::new(pg_dump)
        .args(["--schema-only", "--no-comments", "--dbname", db.admin_url()])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        // Recent pg_dump guards its output with a random \restrict key.
        .filter(|l| !l.starts_with("\\restrict") && !l.starts_with("\\unrestrict"))
        .collect::<Vec<_>>()
        .join("\n")
}

/// The newest migration's version, from the files in migrations/.
fn latest() -> u32 {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../migrations");
    std::fs::read_dir(dir)
        .unwrap()
        .filter_map(|entry| {
            let name = entry.unwrap().file_name().into_string().unwrap();
            let version = name.strip_prefix('V')?.split_once("__")?.0.parse().ok()?;
            (!name.ends_with(".down.sql") && name.ends_with(".sql")).then_some(version)
        })
        .max()
        .unwrap()
}

/// The versions a revert to `target` undoes, newest first.
fn versions_down_to(target: u32) -> Vec<u32> {
    (target..=latest()).rev().collect()
}

/// The versions applied again after a revert, oldest first.
fn versions_up_from(first: u32) -> Vec<u32> {
    (first..=latest()).collect()
}

#[tokio::test]
async fn down_to_zero_removes_everything_and_up_restores_the_same_schema() {
    let db = TestDatabase::create().await;
    let migrated = project_objects(&db).await;
    assert!(migrated.contains(&"relation tenants".to_owned()));
    let dump = schema_dump(&db);

    assert_eq!(
        migrate_down_to(db.admin_url(), 0).await.unwrap(),
        versions_down_to(1)
    );
    assert_eq!(project_objects(&db).await, Vec::<String>::new());
    assert_eq!(
        migrate_down_to(db.admin_url(), 0).await.unwrap(),
        Vec::<u32>::new()
    );

    assert_eq!(
        migrate_up(db.admin_url()).await.unwrap(),
        versions_up_from(1)
    );
    assert_eq!(project_objects(&db).await, migrated);
    assert_eq!(schema_dump(&db), dump);
}

#[tokio::test]
async fn down_to_a_version_reverts_only_what_is_newer_and_keeps_the_data() {
    let db = seeded().await;
    // Allowed to lose V7's writer stamps (the audit trail keeps their values); every tenant
    // and audit row stays.
    assert_eq!(
        migrate_down(db.admin_url(), 2, DataLoss::Allow)
            .await
            .unwrap(),
        versions_down_to(3)
    );
    // Without V3 there is no role switch to make: the login role reads nothing.
    let mut client = app_client(&db).await;
    assert!(visible(&mut client, Ctx::Admin).await.is_err());

    assert_eq!(
        migrate_up(db.admin_url()).await.unwrap(),
        versions_up_from(3)
    );
    assert_eq!(visible(&mut client, Ctx::Admin).await.unwrap(), 5);
    assert_eq!(visible(&mut client, Ctx::Tenant(HSBC)).await.unwrap(), 3);
}

#[tokio::test]
async fn concurrent_runs_wait_for_each_other_and_apply_once() {
    let db = TestDatabase::create().await;
    migrate_down_to(db.admin_url(), 0).await.unwrap();
    let (a, b, c) = tokio::join!(
        migrate_up(db.admin_url()),
        migrate_up(db.admin_url()),
        migrate_up(db.admin_url())
    );
    let mut applied: Vec<u32> = [a, b, c].into_iter().flat_map(Result::unwrap).collect();
    applied.sort();
    assert_eq!(applied, versions_up_from(1));
    let history: i64 = owner_client(&db)
        .await
        .query_one("select count(*) from refinery_schema_history", &[])
        .await
        .unwrap()
        .get(0);
    assert_eq!(history, i64::from(latest()));
}

#[tokio::test]
async fn down_to_v3_restores_v3_exactly_and_up_again_restores_the_rest() {
    let db = seeded().await;
    let v4 = schema_dump(&db);
    assert_eq!(
        migrate_down(db.admin_url(), 3, DataLoss::Allow)
            .await
            .unwrap(),
        versions_down_to(4)
    );
    let v3 = schema_dump(&db);
    // V3's objects as V1 and V3 wrote them: the index on lower(name), the context
    // function's SQL-standard body, and nothing of V4's.
    assert!(v3.contains("(parent_tenant_id, lower(name))"), "{v3}");
    assert!(v3.contains("BEGIN ATOMIC"), "{v3}");
    for gone in ["tenants_rename_scope", "tenants_name_nfc_ck", "und-x-icu"] {
        assert!(!v3.contains(gone), "{gone} left behind");
    }
    assert_eq!(
        migrate_up(db.admin_url()).await.unwrap(),
        versions_up_from(4)
    );
    assert_eq!(schema_dump(&db), v4);
    let mut client = app_client(&db).await;
    assert_eq!(visible(&mut client, Ctx::Tenant(HSBC)).await.unwrap(), 3);
}
