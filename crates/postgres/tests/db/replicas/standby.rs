//! On a hot standby of the project-local cluster (`mtdb_testing::Standby`):
//! row level security fails closed there as on the primary, the monitor's probes need no
//! privilege, and a read that fails on the standby is answered by the primary.

use std::time::{Duration, Instant};

use mtdb_domain::ListQuery;
use mtdb_ports::TenantStore;
use mtdb_postgres::replica::{ReadReplica, ReadRoute, PRIMARY_PROBE, STANDBY_PROBE};
use mtdb_postgres::{connect_pool, ConnectionSettings, PostgresTenantRepository, ReadRouting};
use mtdb_testing::{with_address, Standby};
use tokio_postgres::SimpleQueryMessage;

use crate::support::*;

async fn standby_client(
    standby: &Standby,
    db: &mtdb_testing::TestDatabase,
) -> tokio_postgres::Client {
    connect(&standby.url_for(db.app_url())).await
}

#[tokio::test]
async fn without_a_context_the_standby_shows_nothing() {
    let db = seeded().await;
    let standby = Standby::start().await;
    let mut client = standby_client(&standby, &db).await;
    // Attack: the standby as a way around the primary's policies. Defence: it is the
    // primary's catalog, policies and grants byte for byte.
    match visible(&mut client, Ctx::Login).await {
        Ok(n) => assert_eq!(n, 0),
        Err(e) => assert_eq!(code(&e), "42501", "{e}"),
    }
    assert_eq!(visible(&mut client, Ctx::TenantRoleOnly).await.unwrap(), 0);
    assert_eq!(
        visible(&mut client, Ctx::TenantSetting("x")).await.unwrap(),
        0
    );
    assert_eq!(visible(&mut client, Ctx::Tenant(UNKNOWN)).await.unwrap(), 0);
    assert_eq!(visible(&mut client, Ctx::Tenant(HSBC)).await.unwrap(), 3);
    assert_eq!(
        visible(&mut client, Ctx::Tenant(BARCLAYS_UK))
            .await
            .unwrap(),
        1
    );
    assert_eq!(visible(&mut client, Ctx::Admin).await.unwrap(), 5);
}

#[tokio::test]
async fn the_lag_probes_run_as_the_login_role_with_plain_statements() {
    let db = seeded().await;
    let standby = Standby::start().await;
    let primary = app_client(&db).await;
    let replica = standby_client(&standby, &db).await;
    let first = |messages: Vec<SimpleQueryMessage>| {
        messages.into_iter().find_map(|m| match m {
            SimpleQueryMessage::Row(row) => Some(row.get(0).map(str::to_owned)),
            _ => None,
        })
    };
    let insert = primary.simple_query(PRIMARY_PROBE).await.unwrap();
    assert!(first(insert).flatten().is_some());
    let replayed = replica.simple_query(STANDBY_PROBE).await.unwrap();
    assert!(first(replayed).flatten().is_some());
    // On the primary (not in recovery) the answer is null: never a standby. The replay
    // position alone is not null on a server that ever replayed WAL (crash recovery,
    // a promotion).
    let none = primary.simple_query(STANDBY_PROBE).await.unwrap();
    assert_eq!(first(none), Some(None));
}

#[tokio::test]
async fn a_read_that_fails_on_the_standby_is_answered_by_the_primary() {
    let db = seeded().await;
    let standby = Standby::start().await;
    let primary = PostgresTenantRepository::new(db.pool().clone());
    // The monitor probes the real standby (healthy), but the reads' pool points at a
    // port where nothing listens: every read there fails as unavailable, as when the
    // standby dies between two probes.
    let dead = with_address(
        db.app_url(),
        std::net::SocketAddr::from(([127, 0, 0, 1], 1)),
    );
    let dead_pool = connect_pool(&dead, 2, Duration::from_millis(500)).unwrap();
    let routing = ReadRouting::new(
        primary,
        Some(ReadReplica {
            store: PostgresTenantRepository::new(dead_pool),
            primary: ConnectionSettings::parse(db.app_url()).unwrap(),
            standby: ConnectionSettings::parse(&standby.url_for(db.app_url())).unwrap(),
            max_lag: Duration::from_secs(600),
        }),
    );
    let deadline = Instant::now() + Duration::from_secs(30);
    while !routing.stats().unwrap().up {
        assert!(
            Instant::now() < deadline,
            "the monitor never saw the standby"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    // Attack: the standby goes away under a read. Defence: retried once on the primary.
    let found = routing.find(&tenant(HSBC), id(HSBC_LONDON)).await.unwrap();
    assert_eq!(found.map(|t| t.id), Some(id(HSBC_LONDON)));
    let retried = |routing: &ReadRouting| {
        routing
            .stats()
            .unwrap()
            .reads
            .iter()
            .find(|(r, _)| *r == ReadRoute::Retried)
            .unwrap()
            .1
    };
    assert_eq!(retried(&routing), 1);
    // The same for a list, when it fails before its stream is returned.
    let listed = routing
        .list_stream(&tenant(HSBC), &ListQuery::default())
        .await;
    assert!(listed.is_ok());
    let reads = routing.stats().unwrap().reads;
    let on_primary: u64 = reads
        .iter()
        .filter(|(r, _)| matches!(r, ReadRoute::Retried | ReadRoute::Down))
        .map(|(_, n)| n)
        .sum();
    assert_eq!(on_primary, 2);
    assert_eq!(
        reads
            .iter()
            .find(|(r, _)| *r == ReadRoute::Replica)
            .unwrap()
            .1,
        0
    );
}
