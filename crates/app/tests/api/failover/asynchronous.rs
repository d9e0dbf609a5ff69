//! With an asynchronous standby (PostgreSQL's default): what must still hold (no `500`,
//! `503` with `Retry-After`, writes back without a restart), and how many acknowledged
//! writes the promotion lost, reported rather than asserted: whatever the primary had
//! not sent when it died.

use mtdb_postgres::testing::Replication;

use super::scenario::fail_over;
use super::Failover;

#[tokio::test]
async fn an_asynchronous_standby_promoted_recovers_and_reports_its_loss() {
    let mut failover = Failover::start(Replication::Asynchronous, false).await;
    let figures = fail_over(&mut failover).await;
    figures.report("asynchronous standby");
    for lost in &figures.lost {
        println!("lost: {lost}");
    }
    assert!(figures.violations.is_empty(), "{:?}", figures.violations);
    assert!(figures.unavailable > 0);
    assert!(figures.promoted_to_write < std::time::Duration::from_secs(20));
    let errors = failover
        .metric("mtdb_http_requests_total", &["status=\"500\""])
        .await;
    assert_eq!(errors, 0.0);
}
