//! Reads are served by the standby, row level security holds there, and a client that
//! asks for strong consistency reads from the primary.

use std::collections::BTreeSet;
use std::time::Duration;

use reqwest::StatusCode;

use super::ReplicaApp;
use crate::helpers::*;

/// A bound no test reaches: the standby serves reads however long replay is paused.
const NEVER: Duration = Duration::from_secs(600);

#[tokio::test]
async fn reads_come_from_the_standby_and_strong_reads_from_the_primary() {
    let replica = ReplicaApp::spawn(NEVER).await;
    replica.wait_until_up().await;
    replica.standby.pause_replay().await;

    // Attack: a client that needs its own write, on a deployment that reads from a
    // standby. Defence: without the header it may miss it (the standby is behind)...
    let id = replica.create_subsidiary("HSBC Replica Test").await;
    let stale = replica.get(&id, false).await;
    assert_eq!(stale.status(), StatusCode::NOT_FOUND);
    assert!(!replica.hsbc_ids(false).await.contains(&id));
    assert!(replica.reads("replica", "fresh").await >= 2);
    // ... and with `Mtdb-Consistency: strong` it sees it, on the primary.
    let fresh = replica.get(&id, true).await;
    assert_eq!(fresh.status(), StatusCode::OK);
    assert!(replica.hsbc_ids(true).await.contains(&id));
    assert_eq!(replica.reads("primary", "strong_consistency").await, 2);

    // Once replay resumes and catches up, the standby serves it too.
    replica.standby.resume_replay().await;
    replica.standby.wait_replayed().await;
    assert_eq!(replica.get(&id, false).await.status(), StatusCode::OK);
}

#[tokio::test]
async fn responses_do_not_say_which_server_answered() {
    let replica = ReplicaApp::spawn(NEVER).await;
    replica.wait_until_up().await;
    // Attack: a client learning the WAL position (another organization's write volume)
    // or the routing from a response. Defence: the same headers either way, no LSN.
    let names = |r: &reqwest::Response| -> BTreeSet<String> {
        r.headers().keys().map(|k| k.as_str().to_owned()).collect()
    };
    let standby = replica.get(HSBC_HK, false).await;
    let primary = replica.get(HSBC_HK, true).await;
    assert_eq!(names(&standby), names(&primary));
    assert_eq!(replica.reads("replica", "fresh").await, 1);
    let body = standby.text().await.unwrap();
    assert_eq!(body, primary.text().await.unwrap());
    assert!(!body.to_lowercase().contains("lsn"));
}

#[tokio::test]
async fn a_consistency_value_other_than_strong_is_a_400() {
    let replica = ReplicaApp::spawn(NEVER).await;
    for path in [
        format!("/api/v1/tenants/{HSBC_HK}"),
        "/api/v1/tenants".into(),
    ] {
        let response = replica
            .app
            .client
            .get(replica.app.url(&path))
            .bearer_auth(replica.app.token(As::Tenant(HSBC)))
            .header("Mtdb-Consistency", "eventual")
            .send()
            .await
            .unwrap();
        let (code, body) = error_code(response, StatusCode::BAD_REQUEST).await;
        assert_eq!(code, "VALIDATION_ERROR");
        assert_eq!(body["error"]["details"]["field"], "Mtdb-Consistency");
    }
}

#[tokio::test]
async fn row_level_security_holds_on_the_standby() {
    let replica = ReplicaApp::spawn(NEVER).await;
    replica.wait_until_up().await;
    let app = &replica.app;
    // Attack: another organization's tenants read through the standby, where the
    // requests reach other connections than the primary's. Defence: the standby is a
    // physical copy, policies and all; the unit of work is the same.
    assert_eq!(
        sorted(app.visible_ids(As::Tenant(HSBC)).await),
        ids(&[HSBC, HSBC_HK, HSBC_LONDON])
    );
    assert_eq!(
        app.visible_ids(As::Tenant(BARCLAYS_UK)).await,
        ids(&[BARCLAYS_UK])
    );
    for (who, hidden) in [
        (HSBC, BARCLAYS),
        (HSBC, BARCLAYS_UK),
        (BARCLAYS_UK, BARCLAYS),
        (HSBC_HK, HSBC_LONDON),
    ] {
        let response = app.get_tenant(As::Tenant(who), hidden).await;
        let (code, _) = error_code(response, StatusCode::NOT_FOUND).await;
        assert_eq!(code, "NOT_FOUND");
    }
    assert_eq!(
        app.visible_ids(As::Admin).await.len(),
        5,
        "the admin sees every demo tenant"
    );
    // Every one of those seven reads ran on the standby.
    assert_eq!(replica.reads("replica", "fresh").await, 7);
    for reason in ["replica_lagging", "replica_down", "replica_failed"] {
        assert_eq!(replica.reads("primary", reason).await, 0, "{reason}");
    }
}
