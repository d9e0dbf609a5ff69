//! The roles and tables are what row level security needs, read from the catalog; the
//! start-up check of `mtdb serve` agrees (what it finds otherwise: `check_*.rs`).

use mtdb_postgres_admin::check_roles;
use mtdb_testing::TestDatabase;

use crate::support::*;

#[tokio::test]
async fn the_roles_have_exactly_the_attributes_docs_security_requires() {
    let db = TestDatabase::create().await;
    let login = login_name(&db);
    let rows = app_client(&db)
        .await
        .query(
            "select rolname::text, rolsuper, rolbypassrls, rolinherit, rolcanlogin \
             from pg_roles where rolname = any($1) order by rolname",
            &[&vec![login.as_str(), "mtdb_platform_admin", "mtdb_tenant"]],
        )
        .await
        .unwrap();
    let roles: Vec<(String, bool, bool, bool, bool)> = rows
        .iter()
        .map(|r| (r.get(0), r.get(1), r.get(2), r.get(3), r.get(4)))
        .collect();
    let mut expected = vec![
        (login.clone(), false, false, false, true),
        ("mtdb_platform_admin".to_owned(), false, false, true, false),
        ("mtdb_tenant".to_owned(), false, false, true, false),
    ];
    expected.sort();
    assert_eq!(roles, expected);
}

#[tokio::test]
async fn every_table_has_row_level_security_enabled_and_forced() {
    let db = TestDatabase::create().await;
    let rows = app_client(&db)
        .await
        .query(
            "select c.relname::text, c.relrowsecurity, c.relforcerowsecurity \
             from pg_class c join pg_namespace n on n.oid = c.relnamespace \
             where n.nspname = 'public' and c.relkind in ('r', 'p') \
               and c.relname <> 'refinery_schema_history' \
             order by 1",
            &[],
        )
        .await
        .unwrap();
    let tables: Vec<(String, bool, bool)> = rows
        .iter()
        .map(|r| (r.get(0), r.get(1), r.get(2)))
        .collect();
    assert_eq!(
        tables,
        vec![
            ("tenant_audit".to_owned(), true, true),
            ("tenant_counts".to_owned(), true, true),
            ("tenants".to_owned(), true, true)
        ]
    );
}

#[tokio::test]
async fn the_roles_own_nothing_and_hold_no_dangerous_privilege() {
    let db = TestDatabase::create().await;
    let login = login_name(&db);
    let rows = app_client(&db)
        .await
        .query(
            "select r.name, t.name, p.name from unnest($1::text[]) r(name) \
             cross join unnest(array['tenants', 'tenant_audit']) t(name) \
             cross join unnest(array['DELETE', 'TRUNCATE', 'REFERENCES', 'TRIGGER']) p(name) \
             where has_table_privilege(r.name, t.name, p.name)",
            &[&vec![login.as_str(), "mtdb_platform_admin", "mtdb_tenant"]],
        )
        .await
        .unwrap();
    assert!(rows.is_empty(), "{} dangerous privileges", rows.len());
    check_roles(db.pool()).await.unwrap();
}
