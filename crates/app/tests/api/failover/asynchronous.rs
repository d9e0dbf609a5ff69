//! With an asynchronous standby (PostgreSQL's default), what must still hold: no `500`,
//! `503` with `Retry-After`, writes back without a restart. What it loses is whatever
//! the primary had acknowledged but not sent when it died: reported when the standby
//! keeps up, and shown to be lost when replication is stalled before the kill.

use std::time::Duration;

use mtdb_testing::Replication;

use super::scenario::{fail_over, Figures, Stall};
use super::Failover;

/// Acknowledged writes the primary makes while replication is stalled.
const WHILE_STALLED: u64 = 40;

async fn holds(failover: &Failover, figures: &Figures) {
    assert!(figures.violations.is_empty(), "{:?}", figures.violations);
    assert!(figures.unavailable > 0);
    assert!(figures.promoted_to_write < Duration::from_secs(20));
    let errors = failover
        .metric("mtdb_http_requests_total", &["status=\"500\""])
        .await;
    assert_eq!(errors, 0.0);
}

#[tokio::test]
async fn an_asynchronous_standby_promoted_recovers_and_reports_its_loss() {
    let mut failover = Failover::start(Replication::Asynchronous, false).await;
    let figures = fail_over(&mut failover, Stall::No).await;
    figures.report("asynchronous standby");
    for lost in &figures.lost {
        println!("lost: {lost}");
    }
    holds(&failover, &figures).await;
}

#[tokio::test]
async fn an_asynchronous_standby_behind_loses_acknowledged_writes() {
    let mut failover = Failover::start(Replication::Asynchronous, false).await;
    let figures = fail_over(&mut failover, Stall::Writes(WHILE_STALLED)).await;
    figures.report("asynchronous standby, replication stalled");
    holds(&failover, &figures).await;
    // Each write acknowledged while stalled touched one tenant at most; none before.
    let lost = figures.lost.len() as u64;
    println!(
        "{} writes acknowledged while stalled",
        figures.acknowledged_unsent
    );
    assert!(lost > 0, "nothing lost: the stall did not hold");
    assert!(lost <= figures.acknowledged_unsent, "{lost} lost");
}
