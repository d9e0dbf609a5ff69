//! The price of a synchronous standby: while it is stopped, a commit waits for it, so a
//! write never gets its answer; reads go on. Emptying `synchronous_standby_names` on the
//! primary (what the operator does) releases the waiting commit and the write succeeds.

use std::time::{Duration, Instant};

use mtdb_testing::Replication;
use reqwest::StatusCode;
use serde_json::json;

use super::{Failover, PATIENCE};
use crate::helpers::*;

#[tokio::test]
async fn a_stopped_synchronous_standby_holds_writes_until_the_operator_lets_go() {
    let mut failover = Failover::start(Replication::Synchronous, false).await;
    failover.standby.stop().await;
    let client = reqwest::Client::new();
    let create = client
        .post(format!("{}/api/v1/tenants", failover.base))
        .bearer_auth(token_for(As::Tenant(HSBC)))
        .json(&json!({"name": "Waits", "tenant_type": "subsidiary", "parent_tenant_id": HSBC}))
        .send();
    let create = tokio::spawn(create);

    // Committed on the primary, waiting for the standby.
    let deadline = Instant::now() + PATIENCE;
    while failover.primary.waiting_for_standby().await != 1 {
        assert!(Instant::now() < deadline, "the commit never waited");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    assert!(!create.is_finished(), "the write was answered");
    let read = client
        .get(format!("{}/api/v1/tenants/{HSBC}", failover.base))
        .bearer_auth(token_for(As::Tenant(HSBC)))
        .send()
        .await
        .expect("GET");
    assert_eq!(read.status(), StatusCode::OK);

    failover.primary.set("synchronous_standby_names = ''").await;
    let answered = tokio::time::timeout(PATIENCE, create)
        .await
        .expect("the write answered once released")
        .expect("the request task")
        .expect("the request");
    assert_eq!(answered.status(), StatusCode::CREATED);
}
