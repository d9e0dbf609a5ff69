//! `\d+` in psql says what docs/schema.md says: every table of the schema and every one of
//! its columns carries a comment, so a table or column added later without one fails here.

use mtdb_postgres_admin::migrate_down_to;
use mtdb_testing::TestDatabase;

use crate::support::*;

/// Tables and columns of schema public without a comment (refinery's history aside).
async fn uncommented(db: &TestDatabase) -> Vec<String> {
    owner_client(db)
        .await
        .query(
            "select c.relname || coalesce('.' || a.attname, '') \
               from pg_class c \
               join pg_namespace n on n.oid = c.relnamespace and n.nspname = 'public' \
               left join pg_attribute a on a.attrelid = c.oid and a.attnum > 0 \
                                       and not a.attisdropped \
              where c.relkind in ('r', 'p') \
                and c.relname not like 'refinery_schema_history%' \
                and coalesce(col_description(c.oid, a.attnum), '') = '' \
             union \
             select c.relname from pg_class c \
               join pg_namespace n on n.oid = c.relnamespace and n.nspname = 'public' \
              where c.relkind in ('r', 'p') \
                and c.relname not like 'refinery_schema_history%' \
                and coalesce(obj_description(c.oid, 'pg_class'), '') = '' \
             order by 1",
            &[],
        )
        .await
        .unwrap()
        .iter()
        .map(|r| r.get(0))
        .collect()
}

#[tokio::test]
async fn every_table_and_column_has_a_comment() {
    let db = TestDatabase::create().await;
    assert_eq!(uncommented(&db).await, Vec::<String>::new());
}

#[tokio::test]
async fn reverting_v9_leaves_only_the_two_table_comments_of_v1_and_v2() {
    let db = TestDatabase::create().await;
    migrate_down_to(db.admin_url(), 7).await.unwrap();
    let missing = uncommented(&db).await;
    assert!(missing.contains(&"tenants.name".to_owned()), "{missing:?}");
    assert!(!missing.contains(&"tenants".to_owned()), "{missing:?}");
    assert!(!missing.contains(&"tenant_audit".to_owned()), "{missing:?}");
}
