//! When the standby lags over the bound or goes away, reads go to the primary and no
//! client sees an error.

use std::time::Duration;

use reqwest::StatusCode;
use serde_json::json;

use super::ReplicaApp;
use crate::helpers::*;

#[tokio::test]
async fn a_standby_over_the_lag_bound_is_skipped() {
    let bound = Duration::from_millis(200);
    let replica = ReplicaApp::spawn(bound).await;
    replica.wait_until_up().await;
    // Attack: replay stops (a long query on the standby, a broken link) while writes
    // continue. Defence: the measured lag passes the bound and reads go to the primary.
    replica.standby.pause_replay().await;
    let id = replica.create_subsidiary("HSBC Lagging Test").await;
    replica
        .wait_for("mtdb_db_replica_lag_seconds", |lag| {
            lag > bound.as_secs_f64()
        })
        .await;
    assert_eq!(replica.get(&id, false).await.status(), StatusCode::OK);
    assert!(replica.hsbc_ids(false).await.contains(&id));
    // Never the stale standby. (`replica_down` too should a probe of the loaded standby
    // time out meanwhile: either way the primary answered.)
    assert_eq!(replica.reads("replica", "fresh").await, 0);
    let lagging = replica.reads("primary", "replica_lagging").await;
    assert!(lagging >= 1, "{}", replica.scrape().await);
    assert_eq!(lagging + replica.reads("primary", "replica_down").await, 2);

    // Replay resumes: the lag falls to zero (nothing unreplayed) and the standby serves
    // again.
    replica.standby.resume_replay().await;
    replica
        .wait_for("mtdb_db_replica_lag_seconds", |lag| {
            lag <= bound.as_secs_f64()
        })
        .await;
    assert_eq!(replica.get(&id, false).await.status(), StatusCode::OK);
}

#[tokio::test]
async fn stopping_the_standby_loses_no_read_and_no_write() {
    let mut replica = ReplicaApp::spawn(Duration::from_secs(600)).await;
    replica.wait_until_up().await;
    assert_eq!(replica.get(HSBC_HK, false).await.status(), StatusCode::OK);
    assert_eq!(replica.reads("replica", "fresh").await, 1);

    // Attack: the standby dies under traffic. Defence: a read that fails there runs
    // again on the primary, and the monitor keeps reads off it until it answers again.
    replica.standby.stop().await;
    for _ in 0..3 {
        assert_eq!(replica.get(HSBC_HK, false).await.status(), StatusCode::OK);
        assert_eq!(
            sorted(replica.hsbc_ids(false).await),
            ids(&[HSBC, HSBC_HK, HSBC_LONDON])
        );
    }
    let created = replica
        .app
        .create(
            As::Tenant(HSBC),
            &json!({"name": "HSBC After Standby", "tenant_type": "subsidiary", "parent_tenant_id": HSBC}),
        )
        .await;
    let created = json(created, StatusCode::CREATED).await;
    let id = created["tenant_id"].as_str().unwrap();
    assert_eq!(replica.get(id, false).await.status(), StatusCode::OK);
    replica.wait_for("mtdb_db_replica_up", |v| v == 0.0).await;
    let fell_back = replica.reads("primary", "replica_down").await
        + replica.reads("primary", "replica_failed").await;
    assert!(fell_back >= 7, "{}", replica.scrape().await);
}
