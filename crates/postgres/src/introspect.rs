//! What the adapter sends to PostgreSQL, for the tests that compare it with the server:
//! `EXPLAIN` of the repository's own statements, the parameter types it declares, and
//! whether a pooled connection names its statements.

/// The repository's own statements, so that tests can `EXPLAIN` exactly what it runs and
/// the bench can hand pgbench the same text.
pub mod statements {
    pub use crate::repository::sql::{
        CALL_FIND_AS_ADMIN, CALL_FIND_AS_TENANT, COUNT, COUNT_AS_ADMIN, COUNT_LIVE_SUBSIDIARIES,
        FIND_AS_ADMIN, FIND_AS_TENANT, INSERT, LOCK_FOR_SHARE, LOCK_FOR_UPDATE, PAGE, SOFT_DELETE,
    };
    pub use crate::unit_of_work::{BEGIN_READ_ONLY, BEGIN_READ_WRITE, CONTEXT};
}

/// Every statement the repository may run unnamed (`MTDB_DB_STATEMENTS`), with the
/// parameters' types it declares for it: a test compares them with the server's.
pub fn typed_statements() -> Vec<(&'static str, Vec<tokio_postgres::types::Type>)> {
    crate::repository::typed_statements()
}

/// Whether the repository would run named statements on this pooled connection: what
/// `MTDB_DB_STATEMENTS` (`auto`: the pooler check) decided for it when it was opened.
pub fn names_statements(connection: &deadpool_postgres::Object) -> bool {
    crate::statement::allows_named(connection)
}
