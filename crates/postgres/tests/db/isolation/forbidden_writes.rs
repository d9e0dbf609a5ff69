//! Every write the rules forbid (docs/security.md, section 3), issued as raw SQL with the context set,
//! skipping the domain's checks: the database alone must refuse each one, and nothing
//! may change.

use tokio_postgres::Client;
use uuid::Uuid;

use crate::support::*;

/// Runs `sql` as `ctx` and asserts the database refused it: an error, or no row touched.
/// Returns the error's SQLSTATE for cases that care.
async fn assert_refused(client: &mut Client, ctx: Ctx<'_>, sql: &str) -> Option<String> {
    match exec_as(client, ctx, sql).await {
        Ok(0) => None,
        Ok(n) => panic!("{ctx:?} changed {n} rows with: {sql}"),
        Err(e) => Some(code(&e).to_owned()),
    }
}

async fn audit_rows(db: &mtdb_testing::TestDatabase) -> i64 {
    crate::audit::trail::count(db).await
}

fn insert(name: &str, parent: Option<Uuid>, tenant_type: &str) -> String {
    let parent = parent.map_or("null".to_owned(), |p| format!("'{p}'"));
    format!(
        "insert into tenants (name, parent_tenant_id, tenant_type) \
         values ('{name}', {parent}, '{tenant_type}')"
    )
}

#[tokio::test]
async fn forbidden_creates_are_refused() {
    let db = seeded().await;
    let (before, audit_before) = (snapshot(&db).await, audit_rows(&db).await);
    let mut client = app_client(&db).await;
    let cases = [
        // A tenant creates a parent.
        (Ctx::Tenant(HSBC), insert("Rogue Group", None, "parent")),
        (
            Ctx::Tenant(HSBC_HONG_KONG),
            insert("Rogue Group", None, "parent"),
        ),
        // A subsidiary under another organization.
        (
            Ctx::Tenant(HSBC),
            insert("HSBC Barclays", Some(BARCLAYS), "subsidiary"),
        ),
        // A subsidiary creates a sibling under its own parent.
        (
            Ctx::Tenant(HSBC_HONG_KONG),
            insert("HSBC Macau", Some(HSBC), "subsidiary"),
        ),
        // Depth 3, as the subsidiary, its parent and the admin.
        (
            Ctx::Tenant(HSBC_HONG_KONG),
            insert("HK Kowloon", Some(HSBC_HONG_KONG), "subsidiary"),
        ),
        (
            Ctx::Tenant(HSBC),
            insert("HK Kowloon", Some(HSBC_HONG_KONG), "subsidiary"),
        ),
        (
            Ctx::Admin,
            insert("HK Kowloon", Some(HSBC_HONG_KONG), "subsidiary"),
        ),
        // Type and parent that disagree.
        (Ctx::Admin, insert("Orphan", None, "subsidiary")),
        (
            Ctx::Admin,
            insert("Parent With Parent", Some(HSBC), "parent"),
        ),
        (
            Ctx::Tenant(HSBC),
            insert("Parent With Parent", Some(HSBC), "parent"),
        ),
        // A tenant picks its own id (no column grant).
        (
            Ctx::Tenant(HSBC),
            format!(
                "insert into tenants (tenant_id, name, parent_tenant_id, tenant_type) \
                 values ('{UNKNOWN}', 'Chosen Id', '{HSBC}', 'subsidiary')"
            ),
        ),
    ];
    for (ctx, sql) in &cases {
        assert!(
            assert_refused(&mut client, *ctx, sql).await.is_some(),
            "{ctx:?} was not refused: {sql}"
        );
    }
    assert_eq!(snapshot(&db).await, before);
    assert_eq!(audit_rows(&db).await, audit_before);
}

#[tokio::test]
async fn forbidden_updates_are_refused() {
    let db = seeded().await;
    let (before, audit_before) = (snapshot(&db).await, audit_rows(&db).await);
    let mut client = app_client(&db).await;
    let set = |assignment: &str, target: Uuid| {
        format!("update tenants set {assignment} where tenant_id = '{target}'")
    };
    let cases = [
        // Another organization's rows.
        (Ctx::Tenant(HSBC), set("name = 'Mine'", BARCLAYS)),
        (Ctx::Tenant(HSBC), set("name = 'Mine'", BARCLAYS_UK)),
        (Ctx::Tenant(HSBC_HONG_KONG), set("name = 'Mine'", HSBC)),
        (
            Ctx::Tenant(HSBC_HONG_KONG),
            set("name = 'Mine'", HSBC_LONDON),
        ),
        // Re-parenting, as the parent and as the admin.
        (
            Ctx::Tenant(HSBC),
            set(&format!("parent_tenant_id = '{BARCLAYS}'"), HSBC_LONDON),
        ),
        (
            Ctx::Admin,
            set(&format!("parent_tenant_id = '{BARCLAYS}'"), HSBC_LONDON),
        ),
        (
            Ctx::Admin,
            set(&format!("parent_tenant_id = '{HSBC}'"), BARCLAYS),
        ),
        // Changing the type.
        (
            Ctx::Tenant(HSBC_HONG_KONG),
            set("tenant_type = 'parent'", HSBC_HONG_KONG),
        ),
        (
            Ctx::Admin,
            set(
                "tenant_type = 'parent', parent_tenant_id = null",
                HSBC_HONG_KONG,
            ),
        ),
        // Columns that are the store's own.
        (Ctx::Tenant(HSBC), set("version = 1000", HSBC)),
        (
            Ctx::Tenant(HSBC),
            set(&format!("tenant_id = '{UNKNOWN}'"), HSBC_LONDON),
        ),
        (
            Ctx::Admin,
            set("created_at = now() - interval '1 year'", HSBC),
        ),
    ];
    for (ctx, sql) in &cases {
        assert!(
            exec_as(&mut client, *ctx, sql)
                .await
                .map_or(true, |n| n == 0),
            "{ctx:?} was not refused: {sql}"
        );
    }
    assert_eq!(snapshot(&db).await, before);
    assert_eq!(audit_rows(&db).await, audit_before);
}

#[tokio::test]
async fn an_update_without_a_where_clause_touches_only_the_principals_rows() {
    let db = seeded().await;
    let mut client = app_client(&db).await;
    let everything = "update tenants set metadata = '{\"touched\": true}'";
    assert_eq!(
        exec_as(&mut client, Ctx::Tenant(BARCLAYS), everything)
            .await
            .unwrap(),
        2
    );
    assert_eq!(
        exec_as(&mut client, Ctx::Tenant(HSBC_LONDON), everything)
            .await
            .unwrap(),
        1
    );
    let touched: Vec<String> = snapshot(&db)
        .await
        .into_iter()
        .filter(|row| row.contains("touched"))
        .collect();
    assert_eq!(touched.len(), 3, "{touched:?}");
    assert!(touched.iter().all(|row| {
        [BARCLAYS, BARCLAYS_UK, HSBC_LONDON]
            .iter()
            .any(|id| row.starts_with(&id.to_string()))
    }));
}

#[tokio::test]
async fn forbidden_deletes_are_refused() {
    let db = seeded().await;
    let (before, audit_before) = (snapshot(&db).await, audit_rows(&db).await);
    let mut client = app_client(&db).await;
    let soft_delete = |target: Uuid| {
        format!("update tenants set deleted_at = now() where tenant_id = '{target}'")
    };
    let cases = [
        // Another organization's rows.
        (Ctx::Tenant(HSBC), soft_delete(BARCLAYS_UK)),
        (Ctx::Tenant(HSBC), soft_delete(BARCLAYS)),
        (Ctx::Tenant(HSBC_HONG_KONG), soft_delete(HSBC_LONDON)),
        // A tenant deleting itself, subsidiary or parent.
        (Ctx::Tenant(HSBC_HONG_KONG), soft_delete(HSBC_HONG_KONG)),
        (Ctx::Tenant(HSBC), soft_delete(HSBC)),
        // A subsidiary deleting its parent.
        (Ctx::Tenant(HSBC_HONG_KONG), soft_delete(HSBC)),
        // A parent with live subsidiaries, even by the admin.
        (Ctx::Admin, soft_delete(BARCLAYS)),
        // Hard deletes and truncation, as every role.
        (
            Ctx::Tenant(HSBC),
            format!("delete from tenants where tenant_id = '{HSBC_LONDON}'"),
        ),
        (
            Ctx::Admin,
            format!("delete from tenants where tenant_id = '{HSBC_LONDON}'"),
        ),
        (Ctx::Tenant(HSBC), "truncate tenants cascade".to_owned()),
        (Ctx::Admin, "truncate tenants cascade".to_owned()),
        (Ctx::Login, "truncate tenants cascade".to_owned()),
    ];
    for (ctx, sql) in &cases {
        assert!(
            exec_as(&mut client, *ctx, sql)
                .await
                .map_or(true, |n| n == 0),
            "{ctx:?} was not refused: {sql}"
        );
    }
    assert_eq!(snapshot(&db).await, before);
    assert_eq!(audit_rows(&db).await, audit_before);
}

#[tokio::test]
async fn hard_delete_and_truncate_are_permission_errors() {
    let db = seeded().await;
    let mut client = app_client(&db).await;
    for ctx in [Ctx::Tenant(HSBC), Ctx::Admin] {
        for sql in [
            format!("delete from tenants where tenant_id = '{HSBC_LONDON}'"),
            "truncate tenants".to_owned(),
        ] {
            let code = assert_refused(&mut client, ctx, &sql).await;
            assert_eq!(code.as_deref(), Some("42501"), "{ctx:?}: {sql}");
        }
    }
}
