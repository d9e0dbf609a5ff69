//! One pool per event loop (`mtdb_postgres::Pools`): a thread's units of work use the
//! connections it opened and drives itself, so they go on while another event loop is
//! stuck; a thread with no pool of its own borrows, and the total is never exceeded.

use std::sync::mpsc;
use std::thread;
use std::time::Duration;

use mtdb_ports::TenantStore;
use mtdb_postgres::{connect_pools, Pools, PostgresTenantRepository, StatementMode};

use crate::support::*;

/// The guard of every wait here: it tells "answered" from "hung", far above the time the
/// work takes.
const GUARD: Duration = Duration::from_secs(30);

async fn backend_pid(pools: &Pools) -> i32 {
    let client = pools.get().await.unwrap();
    let row = client
        .query_one("select pg_backend_pid()", &[])
        .await
        .unwrap();
    row.get(0)
}

fn pools(url: &str, total: usize, threads: usize) -> Pools {
    connect_pools(url, total, GUARD, StatementMode::Auto, threads).unwrap()
}

/// How an event loop waits once it has used a connection.
enum Then {
    /// Blocked: it runs nothing, its connections' I/O included.
    Stuck,
    /// Idle, its runtime running as a server's does between requests.
    Running,
}

/// An event loop: a thread of its own with a single-threaded runtime, as each of the
/// server's workers is. It asks `pools` for a connection once, then waits as `then` says
/// until `release` says otherwise. Returns the backend pid it was served by, and the
/// thread.
fn event_loop(
    pools: Pools,
    then: Then,
    release: mpsc::Receiver<()>,
) -> (i32, thread::JoinHandle<()>) {
    let (found, pid) = mpsc::channel();
    let handle = thread::spawn(move || {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap();
        runtime.block_on(async move {
            found.send(backend_pid(&pools).await).unwrap();
            match then {
                // Blocks the runtime itself, not only this task.
                Then::Stuck => release.recv_timeout(GUARD).unwrap(),
                Then::Running => {
                    let wait = tokio::task::spawn_blocking(move || release.recv_timeout(GUARD));
                    wait.await.unwrap().unwrap();
                }
            }
        });
    });
    (pid.recv_timeout(GUARD).unwrap(), handle)
}

#[tokio::test]
async fn an_event_loop_works_on_its_own_connections_while_another_is_stuck() {
    let db = seeded().await;
    let pools = pools(db.app_url(), 2, 2);
    let (release, released) = mpsc::channel();
    let (theirs, stuck) = event_loop(pools.clone(), Then::Stuck, released);

    let repository = PostgresTenantRepository::new(pools.clone());
    for _ in 0..10 {
        let ours = tokio::time::timeout(GUARD, backend_pid(&pools))
            .await
            .expect("a unit of work waited for the stuck event loop");
        assert_ne!(ours, theirs, "the stuck event loop's connection was used");
        let found = tokio::time::timeout(GUARD, repository.find(&tenant(HSBC), id(HSBC)))
            .await
            .expect("a read waited for the stuck event loop");
        assert!(found.unwrap().is_some());
    }
    assert_eq!(pools.status().size, 2);
    release.send(()).unwrap();
    stuck.join().unwrap();
}

#[tokio::test]
async fn a_thread_with_no_pool_of_its_own_borrows_and_the_total_holds() {
    let db = seeded().await;
    // One connection for two event loops: a single pool, adopted by the other thread.
    let pools = pools(db.app_url(), 1, 2);
    let (release, released) = mpsc::channel();
    let (theirs, other) = event_loop(pools.clone(), Then::Running, released);

    // This thread adopts nothing and borrows the only connection: the same backend.
    for _ in 0..3 {
        let ours = tokio::time::timeout(GUARD, backend_pid(&pools)).await;
        assert_eq!(ours.expect("the borrowed connection answered"), theirs);
    }
    let status = pools.status();
    assert_eq!((status.max_size, status.size), (1, 1));
    release.send(()).unwrap();
    other.join().unwrap();
}
