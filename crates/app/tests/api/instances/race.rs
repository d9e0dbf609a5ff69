//! The race rules across instances: simultaneous creates of one name (in varying case)
//! under one parent, sent to every instance at once, by the parent and by the platform
//! admin, give exactly one `201` and `409 DUPLICATE_NAME` for all the others; simultaneous
//! updates conditional on one version give exactly one `200` and `412` for the others.
//! No instance answers `500`, and the database holds one row, one update.

use futures::future::join_all;
use reqwest::{Method, StatusCode};
use serde_json::json;

use super::scope::Who;
use super::Fleet;
use crate::helpers::{BARCLAYS, HSBC, HSBC_HK};

/// More simultaneous requests than the pooler's server connections.
const ATTEMPTS: usize = 12;

#[tokio::test]
async fn simultaneous_same_name_creates_over_instances_give_one_201() {
    let fleet = Fleet::start(3, 3).await;
    for (parent, name) in [(HSBC, "HSBC Paris"), (BARCLAYS, "Barclays Madrid")] {
        let attempts = (0..ATTEMPTS).map(|n| {
            // Varying case: the uniqueness of names ignores it.
            let sent = if n % 2 == 0 {
                name.to_owned()
            } else {
                name.to_uppercase()
            };
            let who = if n % 3 == 0 {
                Who::Admin
            } else {
                Who::Parent(parent)
            };
            let body =
                json!({"name": sent, "tenant_type": "subsidiary", "parent_tenant_id": parent});
            let fleet = &fleet;
            async move {
                fleet
                    .send(n, who, Method::POST, "/api/v1/tenants", Some(&body))
                    .await
            }
        });
        let answers = join_all(attempts).await;
        let created = answers
            .iter()
            .filter(|(status, _)| *status == StatusCode::CREATED)
            .count();
        assert_eq!(created, 1, "{answers:?}");
        for (status, body) in answers.iter().filter(|a| a.0 != StatusCode::CREATED) {
            assert_eq!(*status, StatusCode::CONFLICT, "{body}");
            assert_eq!(body["error"]["code"], "DUPLICATE_NAME", "{body}");
        }

        // Straight from PostgreSQL, as the platform admin: one row with the name.
        let mut direct = fleet.direct().await;
        let tx = direct.transaction().await.expect("begin");
        tx.batch_execute("select set_config('role', 'mtdb_platform_admin', true)")
            .await
            .expect("switch role");
        let stored: i64 = tx
            .query_one(
                "select count(*) from tenants \
                 where parent_tenant_id = $1::text::uuid and lower(name) = lower($2)",
                &[&parent, &name],
            )
            .await
            .expect("count the name")
            .get(0);
        assert_eq!(stored, 1, "{name}");
    }
}

#[tokio::test]
async fn simultaneous_conditional_updates_over_instances_give_one_200() {
    let fleet = Fleet::start(3, 3).await;
    let path = format!("/api/v1/tenants/{HSBC_HK}");
    let attempts = (0..ATTEMPTS).map(|n| {
        // The parent and the subsidiary itself both may update its metadata.
        let who = if n % 2 == 0 {
            Who::Parent(HSBC)
        } else {
            Who::Subsidiary(HSBC_HK)
        };
        let body = json!({"name": "HSBC Hong Kong", "metadata": {"attempt": n}});
        let (fleet, path) = (&fleet, &path);
        async move {
            let answer = fleet
                .send_if_match(n, who, Method::PUT, path, Some(&body), Some("\"1\""))
                .await;
            (n, answer)
        }
    });
    let answers = join_all(attempts).await;
    let winners: Vec<usize> = answers
        .iter()
        .filter(|(_, (status, _))| *status == StatusCode::OK)
        .map(|(n, _)| *n)
        .collect();
    assert_eq!(winners.len(), 1, "{answers:?}");
    for (_, (status, body)) in answers.iter().filter(|a| a.1 .0 != StatusCode::OK) {
        assert_eq!(*status, StatusCode::PRECONDITION_FAILED, "{body}");
        assert_eq!(body["error"]["code"], "PRECONDITION_FAILED", "{body}");
    }

    // Straight from PostgreSQL: version 2, with the one acknowledged update's metadata.
    let mut direct = fleet.direct().await;
    let tx = direct.transaction().await.expect("begin");
    tx.batch_execute("select set_config('role', 'mtdb_platform_admin', true)")
        .await
        .expect("switch role");
    let row = tx
        .query_one(
            "select version, metadata from tenants where tenant_id = $1::text::uuid",
            &[&HSBC_HK],
        )
        .await
        .expect("read HSBC Hong Kong");
    let (version, metadata): (i64, serde_json::Value) = (row.get(0), row.get(1));
    assert_eq!(version, 2);
    assert_eq!(metadata, json!({"attempt": winners[0]}));
}
