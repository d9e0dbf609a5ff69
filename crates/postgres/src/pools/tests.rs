use std::thread;

use super::*;

const NOWHERE: &str = "postgres://u:p@127.0.0.1:1/db";

fn pools(total: usize, threads: usize) -> Pools {
    connect_pools(
        NOWHERE,
        total,
        Duration::from_millis(200),
        StatementMode::Auto,
        threads,
    )
    .unwrap()
}

/// A thread with a runtime of its own (single-threaded as an event loop, or not) that
/// asks `pools` which pool it adopted, then lives on until the guard is dropped.
struct Living {
    adopted: Option<usize>,
    stop: Option<std::sync::mpsc::Sender<()>>,
    thread: Option<thread::JoinHandle<()>>,
}

fn living(pools: &Pools, single: bool) -> Living {
    let pools = pools.clone();
    let (stop, stopped) = std::sync::mpsc::channel::<()>();
    let (tell, told) = std::sync::mpsc::channel();
    let thread = thread::spawn(move || {
        let runtime = if single {
            tokio::runtime::Builder::new_current_thread().build()
        } else {
            tokio::runtime::Builder::new_multi_thread().build()
        };
        let adopted = runtime.unwrap().block_on(async { pools.adopted() });
        tell.send(adopted).unwrap();
        // Until the guard goes: a sender dropped ends the wait.
        let _ = stopped.recv();
    });
    Living {
        adopted: told.recv().unwrap(),
        stop: Some(stop),
        thread: Some(thread),
    }
}

impl Drop for Living {
    fn drop(&mut self) {
        drop(self.stop.take());
        if let Some(thread) = self.thread.take() {
            thread.join().unwrap();
        }
    }
}

#[test]
fn the_connections_are_shared_out_evenly_and_no_pool_is_empty() {
    assert_eq!(shares(8, 2), [4, 4]);
    assert_eq!(shares(9, 2), [5, 4]);
    assert_eq!(shares(10, 4), [3, 3, 2, 2]);
    assert_eq!(shares(1, 2), [1]);
    assert_eq!(shares(3, 0), [3]);
    assert_eq!(shares(0, 2), [0]);
    assert!(matches!(
        connect_pools(NOWHERE, 0, Duration::from_secs(1), StatementMode::Auto, 2),
        Err(PoolSetupError::ZeroSize)
    ));
    assert_eq!(pools(9, 2).status().max_size, 9);
}

#[test]
fn each_single_threaded_runtime_adopts_a_pool_of_its_own_while_there_is_one() {
    let pools = pools(4, 2);
    let first = living(&pools, true);
    let second = living(&pools, true);
    assert_eq!([first.adopted, second.adopted], [Some(0), Some(1)]);
    // Both pools are taken: a third thread borrows.
    assert_eq!(living(&pools, true).adopted, None);
    // Another set of pools is adopted afresh.
    assert_eq!(living(&self::pools(4, 2), true).adopted, Some(0));
}

#[test]
fn a_multi_threaded_runtime_adopts_none() {
    let pools = pools(4, 2);
    assert_eq!(living(&pools, false).adopted, None);
    assert_eq!(living(&pools, true).adopted, Some(0));
}

#[tokio::test]
async fn a_thread_keeps_the_pool_it_adopted() {
    let pools = pools(4, 2);
    assert_eq!(pools.adopted(), Some(0));
    assert_eq!(pools.adopted(), Some(0));
    assert_eq!(living(&pools, true).adopted, Some(1));
}

#[test]
fn a_pool_whose_thread_ended_is_adopted_again() {
    let pools = pools(4, 2);
    let first = living(&pools, true);
    let second = living(&pools, true);
    assert_eq!([first.adopted, second.adopted], [Some(0), Some(1)]);
    drop(first);
    assert_eq!(living(&pools, true).adopted, Some(0));
    drop(second);
}

#[tokio::test]
async fn an_unreachable_server_fails_the_checkout_within_the_timeout() {
    let pools = pools(4, 2);
    let err = tokio::time::timeout(Duration::from_secs(60), pools.get())
        .await
        .expect("the pools answered instead of hanging")
        .unwrap_err();
    assert!(matches!(err, PoolError::Backend(_) | PoolError::Timeout(_)));
}
