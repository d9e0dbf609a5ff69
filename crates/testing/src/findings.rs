//! What `mtdb check` reports, in a form tests compare: `(kind, object)` pairs.

use std::time::Duration;

use mtdb_postgres::connect_pool;
use mtdb_postgres_admin::{inspect, Finding};

use crate::arrange::owner_client;
use crate::database::TestDatabase;

/// The findings on the test database, as its shared login role sees them.
pub async fn findings(db: &TestDatabase) -> Vec<(String, String)> {
    pairs(inspect(db.pool()).await.unwrap())
}

/// The findings on the test database, checked as the login role of `url`.
pub async fn findings_as(url: &str) -> Vec<(String, String)> {
    let pool = connect_pool(url, 1, Duration::from_secs(5)).unwrap();
    let found = inspect(&pool).await;
    pool.close();
    pairs(found.unwrap())
}

fn pairs(found: Vec<Finding>) -> Vec<(String, String)> {
    found
        .into_iter()
        .map(|f| (f.kind.as_str().to_owned(), f.object))
        .collect()
}

/// One expected finding.
pub fn finding(kind: &str, object: &str) -> (String, String) {
    (kind.to_owned(), object.to_owned())
}

/// Runs `sql` as the owner: what an operator would do.
pub async fn owner_runs(db: &TestDatabase, sql: &str) {
    owner_client(db).await.batch_execute(sql).await.unwrap();
}

/// Every finding, with its fix.
pub async fn inspect_all(db: &TestDatabase) -> Vec<((String, String), String)> {
    mtdb_postgres_admin::inspect(db.pool())
        .await
        .unwrap()
        .into_iter()
        .map(|f| ((f.kind.as_str().to_owned(), f.object), f.fix))
        .collect()
}
