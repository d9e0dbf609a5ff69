//! With a synchronous standby: no acknowledged write lost, even with replication stalled
//! and commits waiting for the standby when the primary dies; `503` with `Retry-After` in
//! the gap and never `500`, writes back without a restart; the read replica route stops
//! reading from the standby once it is promoted.

use std::time::Duration;

use mtdb_testing::Replication;
use reqwest::StatusCode;

use super::scenario::{fail_over, Stall};
use super::Failover;
use crate::helpers::*;

/// Generous: measured under 200 ms on a loaded 2-core machine
/// (docs/records/2026-12-07-failover.md).
const WRITES_BACK_WITHIN: Duration = Duration::from_secs(20);
/// Commits waiting for the stalled standby when the primary dies. Two, not one per
/// writer: a writer may wait instead on a row lock of `tenant_counts` held by a waiting
/// commit (its slot is the backend's pid modulo 64).
const WAITING: i64 = 2;

#[tokio::test]
async fn a_synchronous_standby_promoted_loses_no_acknowledged_write() {
    let mut failover = Failover::start(Replication::Synchronous, true).await;
    let figures = fail_over(&mut failover, Stall::Waiting(WAITING)).await;
    figures.report("synchronous standby");

    assert!(figures.violations.is_empty(), "{:?}", figures.violations);
    assert!(figures.lost.is_empty(), "lost: {:?}", figures.lost);
    assert_eq!(figures.not_found, 0);
    assert!(figures.ledger.creates > 0 && figures.ledger.updates > 0 && figures.ledger.deletes > 0);
    assert!(figures.unavailable > 0);
    assert!(figures.unflushed_bytes > 0, "the standby was not behind");
    assert!(
        figures.promoted_to_write < WRITES_BACK_WITHIN,
        "{:?}",
        figures.promoted_to_write
    );
    // What an operator sees: the API's own count of 503s, none of 500, and the move.
    let counted = failover
        .metric("mtdb_http_requests_total", &["status=\"503\""])
        .await;
    assert!(counted >= figures.unavailable as f64, "{counted}");
    let errors = failover
        .metric("mtdb_http_requests_total", &["status=\"500\""])
        .await;
    assert_eq!(errors, 0.0);
    let moved = failover.until_logged("now reach another server").await;
    assert_eq!(moved["server"], failover.standby.address().to_string());
    assert_eq!(moved["previous"], failover.primary.address().to_string());

    // The read route: the promoted standby is no replica any more; reads go to the
    // primary (the same server now) and see the writes made after the promotion.
    failover
        .until_logged("the read replica is not in recovery")
        .await;
    let deadline = std::time::Instant::now() + super::PATIENCE;
    while failover.metric("mtdb_db_replica_up", &[]).await != 0.0 {
        assert!(
            std::time::Instant::now() < deadline,
            "the standby stayed up"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    let fresh = failover
        .metric("mtdb_db_reads_total", &["reason=\"fresh\""])
        .await;
    let client = reqwest::Client::new();
    for (id, expected) in &figures.ledger.expected {
        if let super::load::Expected::Live(name) = expected {
            let response = client
                .get(format!("{}/api/v1/tenants/{id}", failover.base))
                .bearer_auth(token_for(As::Admin))
                .send()
                .await
                .expect("GET");
            let body = json(response, StatusCode::OK).await;
            assert_eq!(body["name"], name.as_str());
        }
    }
    assert_eq!(
        failover
            .metric("mtdb_db_reads_total", &["reason=\"fresh\""])
            .await,
        fresh,
        "no read went to the promoted standby as a replica"
    );
}
