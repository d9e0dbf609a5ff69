//! The unnamed statements (`MTDB_DB_STATEMENTS=unnamed`, and `auto` behind a pooler) give
//! the server their parameters' types instead of asking for them: the types given must be
//! the ones the server infers, or the two modes would run different statements. And no
//! statement may return a type outside PostgreSQL's built-in ones: tokio-postgres would
//! look such a type up with a named statement of its own, which a pooler in transaction
//! mode cannot carry (docs/pgbouncer.md).

use mtdb_testing::{typed_statements, TestDatabase};
use tokio_postgres::types::Type;

use crate::support::*;

#[tokio::test]
async fn declared_parameter_types_are_the_servers_and_every_result_type_is_built_in() {
    let db = TestDatabase::create().await;
    let client = app_client(&db).await;
    let statements = typed_statements();
    assert!(statements.len() >= 14, "every hot-path statement is listed");
    for (sql, declared) in statements {
        let prepared = client
            .prepare(sql)
            .await
            .unwrap_or_else(|e| panic!("{sql}: {e}"));
        assert_eq!(prepared.params(), declared.as_slice(), "{sql}");
        for column in prepared.columns() {
            let oid = column.type_().oid();
            assert!(
                Type::from_oid(oid).is_some(),
                "{sql}: column {} has type {} (oid {oid}), not a built-in one",
                column.name(),
                column.type_()
            );
        }
    }
}
