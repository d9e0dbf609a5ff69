//! The application's connections, one pool per event loop (docs/performance.md, "Thread
//! hops").
//!
//! tokio-postgres does a connection's socket I/O in a task of its own, spawned where the
//! connection was opened, and the socket stays registered with that runtime's reactor.
//! Each of the server's workers is a runtime of its own, on one thread: a request served
//! with a connection another worker opened wakes that thread to send its statements and
//! is woken back by it with the answers, two wake-ups across threads per request.
//!
//! So the `total` connections are shared out between as many pools as the server has
//! workers. The first time a single-threaded runtime asks for a connection, it adopts a
//! pool no living thread holds, and from then on it opens that pool's connections itself.
//! A unit of work takes, in this order:
//! 1. an idle connection of its own thread's pool, or a new one within that pool's share;
//! 2. an idle connection of another pool, which it borrows (the I/O then crosses threads,
//!    as it would have with a single pool);
//! 3. a new connection in another pool that has room (opened here, it is this thread's
//!    to drive whichever pool holds it);
//! 4. failing all three (another unit of work took the one it saw), it waits a moment on
//!    its own pool and looks again, until the pool's timeout.
//!
//! Never more than `total` connections are open, and nothing is closed to move a
//! connection between pools. The fair gate in front (`crate::fairness`) is unchanged: it
//! hands out one permit per connection of all the pools together, so a unit of work that
//! holds one always finds a connection in one of the four steps.

use std::cell::RefCell;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, Weak};
use std::time::Duration;

use deadpool_postgres::{Object, Pool, PoolError, Timeouts};
use tokio::runtime::{Handle, RuntimeFlavor};
use tokio::time::Instant;

use crate::connection::AsConnection;
use crate::pool::{connect_pool_with, PoolSetupError};
use crate::statement::StatementMode;

#[cfg(test)]
mod tests;

/// How long step 4 waits on the thread's own pool before it looks everywhere again.
const LOOK_AGAIN: Duration = Duration::from_millis(10);

static NEXT_ID: AtomicUsize = AtomicUsize::new(0);

thread_local! {
    /// For each set of pools this thread has asked: the one it adopted, if any.
    static ADOPTED: RefCell<Vec<Adoption>> = const { RefCell::new(Vec::new()) };
}

/// One thread's adoption of a pool of one set (or of none), given back when the thread
/// ends, so that an event loop started again adopts the pool its predecessor left.
struct Adoption {
    id: usize,
    index: Option<usize>,
    pools: Weak<Inner>,
}

impl Drop for Adoption {
    fn drop(&mut self) {
        if let (Some(index), Some(inner)) = (self.index, self.pools.upgrade()) {
            if let Ok(mut adopted) = inner.adopted.lock() {
                adopted[index] = false;
            }
        }
    }
}

/// The connection pools of one database, one per event loop; cheap to clone.
#[derive(Clone)]
pub struct Pools {
    inner: Arc<Inner>,
}

struct Inner {
    id: usize,
    pools: Vec<Pool>,
    // Whether a living thread adopted each pool.
    adopted: Mutex<Vec<bool>>,
}

/// The pools' numbers added up, as the metrics show them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PoolsStatus {
    /// Connections that may be open at once.
    pub max_size: usize,
    /// Connections open now.
    pub size: usize,
    /// Open connections no unit of work holds or asks for.
    pub available: usize,
    /// Units of work waiting inside a pool (the fair gate's queue comes before).
    pub waiting: usize,
}

impl From<Pool> for Pools {
    /// A single pool, shared by every thread.
    fn from(pool: Pool) -> Self {
        Self::new(vec![pool])
    }
}

/// `total` connections (at least one) shared out between `threads` pools, as evenly as
/// they go; never a pool of none, so with fewer connections than threads some threads
/// adopt no pool and always borrow. Each pool is built as [`connect_pool_with`] builds
/// one.
///
/// # Errors
/// As [`connect_pool_with`].
pub fn connect_pools(
    database: &(impl AsConnection + ?Sized),
    total: usize,
    timeout: Duration,
    statements: StatementMode,
    threads: usize,
) -> Result<Pools, PoolSetupError> {
    let pools = shares(total, threads)
        .into_iter()
        .map(|share| connect_pool_with(database, share, timeout, statements))
        .collect::<Result<Vec<_>, _>>()?;
    Ok(Pools::new(pools))
}

/// `total` split into `parts` shares that differ by one at most, none of them zero.
fn shares(total: usize, parts: usize) -> Vec<usize> {
    let parts = parts.clamp(1, total.max(1));
    (0..parts)
        .map(|part| total / parts + usize::from(part < total % parts))
        .collect()
}

impl Pools {
    /// Pools built already, each with its share of the connections.
    pub fn new(pools: Vec<Pool>) -> Self {
        let adopted = Mutex::new(vec![false; pools.len()]);
        Self {
            inner: Arc::new(Inner {
                id: NEXT_ID.fetch_add(1, Ordering::Relaxed),
                pools,
                adopted,
            }),
        }
    }

    /// The numbers of all the pools together.
    pub fn status(&self) -> PoolsStatus {
        let mut total = PoolsStatus {
            max_size: 0,
            size: 0,
            available: 0,
            waiting: 0,
        };
        for status in self.inner.pools.iter().map(Pool::status) {
            total.max_size += status.max_size;
            total.size += status.size;
            total.available += status.available;
            total.waiting += status.waiting;
        }
        total
    }

    /// The longest wait for a connection (the pools share their timeouts).
    pub fn wait(&self) -> Option<Duration> {
        self.inner
            .pools
            .first()
            .and_then(|pool| pool.timeouts().wait)
    }

    /// A connection, found as the module's documentation says.
    ///
    /// # Errors
    /// As `deadpool`'s `get`: none within the wait, or a connection that failed to open.
    pub async fn get(&self) -> Result<Object, PoolError> {
        let home = self.adopted();
        let deadline = self.wait().map(|wait| Instant::now() + wait);
        loop {
            if let Some(object) = self.look(home).await? {
                return Ok(object);
            }
            let left = deadline.map_or(LOOK_AGAIN, |d| d.saturating_duration_since(Instant::now()));
            if left.is_zero() {
                return Err(PoolError::Timeout(deadpool_postgres::TimeoutType::Wait));
            }
            let pool = &self.inner.pools[home.unwrap_or(0)];
            match pool.timeout_get(&within(pool, LOOK_AGAIN.min(left))).await {
                Err(PoolError::Timeout(deadpool_postgres::TimeoutType::Wait)) => {}
                found => return found,
            }
        }
    }

    /// Steps 1 to 3, none of which waits for another unit of work.
    async fn look(&self, home: Option<usize>) -> Result<Option<Object>, PoolError> {
        let pools = &self.inner.pools;
        if let Some(own) = home {
            if let Some(object) = at_once(&pools[own]).await? {
                return Ok(Some(object));
            }
        }
        let others = || (0..pools.len()).filter(|&index| Some(index) != home);
        for index in others() {
            if pools[index].status().available > 0 {
                if let Some(object) = at_once(&pools[index]).await? {
                    return Ok(Some(object));
                }
            }
        }
        for index in others() {
            if let Some(object) = at_once(&pools[index]).await? {
                return Ok(Some(object));
            }
        }
        Ok(None)
    }

    /// The pool this thread adopted; adopts one if it never asked and runs a
    /// single-threaded runtime (a multi-threaded one moves its tasks between threads).
    fn adopted(&self) -> Option<usize> {
        let id = self.inner.id;
        let known = ADOPTED.with(|adopted| {
            let adopted = adopted.borrow();
            let adoption = adopted.iter().find(|adoption| adoption.id == id);
            adoption.map(|adoption| adoption.index)
        });
        if let Some(index) = known {
            return index;
        }
        let single = Handle::try_current()
            .is_ok_and(|handle| handle.runtime_flavor() == RuntimeFlavor::CurrentThread);
        let index = single.then(|| self.adopt()).flatten();
        let pools = Arc::downgrade(&self.inner);
        let adoption = Adoption { id, index, pools };
        ADOPTED.with(|adopted| {
            let mut adopted = adopted.borrow_mut();
            // Sets of pools dropped since are forgotten here.
            adopted.retain(|adoption| adoption.pools.strong_count() > 0);
            adopted.push(adoption);
        });
        index
    }

    fn adopt(&self) -> Option<usize> {
        let mut adopted = self.inner.adopted.lock().ok()?;
        let index = adopted.iter().position(|taken| !taken)?;
        adopted[index] = true;
        Some(index)
    }
}

/// `pool`'s timeouts, with `wait` for the wait.
fn within(pool: &Pool, wait: Duration) -> Timeouts {
    Timeouts {
        wait: Some(wait),
        ..pool.timeouts()
    }
}

/// A connection of `pool` if one is idle or may be opened, without waiting for another
/// unit of work to give one back.
async fn at_once(pool: &Pool) -> Result<Option<Object>, PoolError> {
    match pool.timeout_get(&within(pool, Duration::ZERO)).await {
        Ok(object) => Ok(Some(object)),
        Err(PoolError::Timeout(deadpool_postgres::TimeoutType::Wait)) => Ok(None),
        Err(other) => Err(other),
    }
}
