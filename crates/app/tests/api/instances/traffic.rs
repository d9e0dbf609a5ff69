//! Mixed concurrent traffic from every kind of principal, spread round-robin over three
//! instances behind one PgBouncer in transaction mode with fewer server connections than
//! clients: no answer carries a row outside its principal's scope, every acknowledged
//! write is in the database afterwards, every refused one left nothing behind.

use std::collections::HashMap;
use std::sync::Mutex;

use futures::future::join_all;
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};

use super::scope::{Who, DEMO, PRINCIPALS};
use super::Fleet;
use crate::helpers::{BARCLAYS_UK, HSBC_LONDON};

const INSTANCES: usize = 3;
/// Server connections: fewer than the 24 concurrent clients, and than the 3 x (4 + 4)
/// connections the instances' pools open to PgBouncer.
const SERVER_POOL: usize = 3;
const CLIENTS: usize = 24;
const ROUNDS: usize = 6;

/// A tenant some client created, and what the API acknowledged about it since.
#[derive(Clone, Debug)]
struct Created {
    id: String,
    name: String,
    parent: Option<String>,
    metadata: Value,
    deleted: bool,
}

#[tokio::test]
async fn mixed_traffic_over_instances_through_pgbouncer_keeps_every_scope_and_write() {
    let fleet = Fleet::start(INSTANCES, SERVER_POOL).await;
    let ledger = Mutex::new(Vec::<Created>::new());
    join_all((0..CLIENTS).map(|client| run_client(&fleet, &ledger, client))).await;

    // Read back straight from PostgreSQL, as the platform admin (deleted rows hidden).
    let mut direct = fleet.direct().await;
    let tx = direct.transaction().await.expect("begin");
    tx.batch_execute("select set_config('role', 'mtdb_platform_admin', true)")
        .await
        .expect("switch role");
    let rows = tx
        .query(
            "select tenant_id::text, name, parent_tenant_id::text, metadata from tenants",
            &[],
        )
        .await
        .expect("read the tenants");
    let stored: HashMap<String, (String, Option<String>, Value)> = rows
        .iter()
        .map(|r| (r.get(0), (r.get(1), r.get(2), r.get(3))))
        .collect();
    tx.commit().await.expect("commit");

    let ledger = ledger.into_inner().expect("the ledger");
    let live: Vec<&Created> = ledger.iter().filter(|c| !c.deleted).collect();
    for created in &ledger {
        let row = stored.get(&created.id);
        if created.deleted {
            assert!(row.is_none(), "acknowledged delete of {created:?} undone");
            continue;
        }
        let (name, parent, metadata) = row.unwrap_or_else(|| panic!("lost: {created:?}"));
        assert_eq!(
            (name, parent, metadata),
            (&created.name, &created.parent, &created.metadata)
        );
    }
    // Nothing else: the demo, untouched by the refused writes, and the acknowledged creates.
    assert_eq!(stored.len(), DEMO.len() + live.len(), "{stored:?}");
    assert_eq!(stored[BARCLAYS_UK].0, "Barclays UK");
    assert_eq!(stored[HSBC_LONDON].0, "HSBC London");
    assert!(ledger.len() >= CLIENTS, "{} creates", ledger.len());

    // The pooler multiplexed: never more server connections than its pool.
    let servers = fleet.server_connections(&direct).await;
    assert!(
        (1..=SERVER_POOL as i64).contains(&servers),
        "{servers} server connections for a pool of {SERVER_POOL}\n{}",
        fleet.pooler_log()
    );
}

/// One client: `ROUNDS` rounds of reads and writes as one principal, each request to the
/// next instance.
async fn run_client(fleet: &Fleet, ledger: &Mutex<Vec<Created>>, client: usize) {
    let who = PRINCIPALS[client % PRINCIPALS.len()];
    let mut n = client;
    let mut next = || {
        n += 1;
        n
    };
    for round in 0..ROUNDS {
        // The list: every row in scope; a subsidiary sees itself only.
        let path = "/api/v1/tenants?limit=1000";
        let (status, page) = fleet.send(next(), who, Method::GET, path, None).await;
        assert_eq!(status, StatusCode::OK, "{page}");
        let listed = page["tenants"].as_array().expect("tenants");
        for tenant in listed {
            assert!(who.may_see(tenant), "{who:?} listed {tenant}");
        }
        for id in DEMO.iter().filter(|id| who.sees_demo(id)) {
            assert!(
                listed.iter().any(|t| t["tenant_id"] == *id),
                "{who:?}: {id}"
            );
        }

        // One by one: each demo tenant, and what the others created so far.
        let others: Vec<Created> = ledger.lock().expect("ledger").clone();
        let targets = DEMO.iter().map(|id| (id.to_string(), None)).chain(
            others
                .iter()
                .rev()
                .take(4)
                .map(|c| (c.id.clone(), Some(c.parent.clone()))),
        );
        for (id, made) in targets.collect::<Vec<_>>() {
            let path = format!("/api/v1/tenants/{id}");
            let (status, body) = fleet.send(next(), who, Method::GET, &path, None).await;
            match status {
                StatusCode::OK => assert!(who.may_see(&body), "{who:?} read {body}"),
                StatusCode::NOT_FOUND => {}
                other => panic!("{who:?} GET {id}: {other} {body}"),
            }
            let in_scope = match &made {
                None => who.sees_demo(&id),
                Some(parent) => who.may_see(&json!({"tenant_id": id, "parent_tenant_id": parent})),
            };
            if !in_scope {
                assert_eq!(status, StatusCode::NOT_FOUND, "{who:?} read {body}");
            } else if made.is_none() {
                assert_eq!(status, StatusCode::OK, "{who:?} GET {id}");
            }
        }

        write(fleet, ledger, who, client, round, &mut next).await;
    }
}

/// The round's write: the admin makes a parent; a parent makes a subsidiary, updates it
/// and deletes every other one, each step on another instance; a subsidiary tries to
/// write the other organization's tenant and is refused as if it did not exist.
async fn write(
    fleet: &Fleet,
    ledger: &Mutex<Vec<Created>>,
    who: Who,
    client: usize,
    round: usize,
    next: &mut impl FnMut() -> usize,
) {
    let name = format!("Client {client} round {round}");
    let (body, parent) = match who {
        Who::Admin => (json!({"name": name, "tenant_type": "parent"}), None),
        Who::Parent(p) => (
            json!({"name": name, "tenant_type": "subsidiary", "parent_tenant_id": p}),
            Some(p.to_owned()),
        ),
        Who::Subsidiary(_) => {
            let path = format!("/api/v1/tenants/{}", who.foreign_subsidiary());
            let hijack = json!({"name": "Hijacked"});
            let (status, body) = fleet
                .send(next(), who, Method::PUT, &path, Some(&hijack))
                .await;
            assert_eq!(status, StatusCode::NOT_FOUND, "{body}");
            let (status, body) = fleet.send(next(), who, Method::DELETE, &path, None).await;
            assert_eq!(status, StatusCode::NOT_FOUND, "{body}");
            return;
        }
    };
    let (status, made) = fleet
        .send(next(), who, Method::POST, "/api/v1/tenants", Some(&body))
        .await;
    assert_eq!(status, StatusCode::CREATED, "{made}");
    let id = made["tenant_id"].as_str().expect("an id").to_owned();
    // In the ledger at once: the other clients read it while it changes.
    let entry = {
        let mut ledger = ledger.lock().expect("ledger");
        ledger.push(Created {
            id: id.clone(),
            name: name.clone(),
            parent,
            metadata: json!({}),
            deleted: false,
        });
        ledger.len() - 1
    };
    if !matches!(who, Who::Parent(_)) {
        return;
    }
    let path = format!("/api/v1/tenants/{id}");
    let metadata = json!({"client": client, "round": round});
    let update = json!({"name": name, "metadata": metadata});
    let (status, body) = fleet
        .send(next(), who, Method::PUT, &path, Some(&update))
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    ledger.lock().expect("ledger")[entry].metadata = metadata;
    if round % 2 == 1 {
        let (status, body) = fleet.send(next(), who, Method::DELETE, &path, None).await;
        assert_eq!(status, StatusCode::NO_CONTENT, "{body}");
        ledger.lock().expect("ledger")[entry].deleted = true;
    }
}
