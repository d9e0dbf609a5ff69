//! The replica monitor: a task that, every [`PROBE_INTERVAL`], asks the primary for its
//! WAL position and the standby for the position it replayed, and keeps the verdict the
//! router reads on every request (docs/replicas.md).
//!
//! Both probes are one `simple_query` on a dedicated connection of the login role: an
//! unnamed statement, so they also run through PgBouncer, and both functions are callable
//! by any role. A probe that fails or takes longer than [`PROBE_TIMEOUT`] drops its
//! connection, to be opened again on the next tick.

use std::sync::{Arc, Mutex, MutexGuard, Weak};
use std::time::{Duration, Instant};

use tokio_postgres::{Client, SimpleQueryMessage};

use super::lag::{parse_lsn, LagWindow, Lsn};
use crate::connection::ConnectionSettings;

/// How often both servers are probed: the lag is known to within this.
pub const PROBE_INTERVAL: Duration = Duration::from_millis(100);

/// A probe (connecting included) that takes longer has failed.
const PROBE_TIMEOUT: Duration = Duration::from_secs(1);

/// What the primary is asked: its insert position, not `pg_current_wal_lsn()` (the write
/// position): with `synchronous_commit = off` an acknowledged commit may still sit in the
/// WAL buffers, under the insert position only. Erring high is safe: a tail the primary
/// has not flushed yet makes the lag look larger until it does (docs/replicas.md).
pub const PRIMARY_PROBE: &str = "select pg_catalog.pg_current_wal_insert_lsn()";
/// What the standby is asked: its replay position, null when it is not in recovery.
/// `pg_last_wal_replay_lsn()` alone is not null on a server that ever replayed WAL (a
/// promoted standby, a primary after crash recovery): reads would go to a server that is
/// no longer a replica of the primary (a diverging timeline) until the lag grew past the
/// bound.
pub const STANDBY_PROBE: &str = "select case when pg_catalog.pg_is_in_recovery() \
                                 then pg_catalog.pg_last_wal_replay_lsn() end";

/// Why a read does not go to the standby.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fallback {
    /// The standby did not answer its last probe, or a read on it failed since.
    Down,
    /// Its replay lag is over the bound.
    Lagging,
}

/// What the monitor knows, shared with the router.
#[derive(Debug)]
pub struct ReplicaState {
    start: Instant,
    inner: Mutex<Inner>,
}

#[derive(Debug, Default)]
struct Inner {
    window: LagWindow,
    /// The last probe of the standby answered with a position.
    standby_up: bool,
    /// The standby answered that it is not in recovery (promoted).
    promoted: bool,
    /// A read failed on the standby at this instant: down until a probe started later
    /// answers.
    failed_at: Option<Instant>,
}

impl ReplicaState {
    fn new() -> Self {
        Self {
            start: Instant::now(),
            inner: Mutex::new(Inner::default()),
        }
    }

    // A poisoned lock still holds consistent numbers (every update is one assignment).
    fn lock(&self) -> MutexGuard<'_, Inner> {
        self.inner
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// Whether a read may go to the standby now, with `bound` as the largest lag.
    pub fn verdict(&self, bound: Duration) -> Result<(), Fallback> {
        let inner = self.lock();
        if !inner.standby_up || inner.failed_at.is_some() {
            return Err(Fallback::Down);
        }
        if inner.window.lag(self.start.elapsed()) > bound {
            return Err(Fallback::Lagging);
        }
        Ok(())
    }

    /// The lag now, and whether the standby is usable at all (for the metrics).
    pub fn lag(&self) -> (Duration, bool) {
        let inner = self.lock();
        let up = inner.standby_up && inner.failed_at.is_none();
        (inner.window.lag(self.start.elapsed()), up)
    }

    /// A read on the standby failed because it was unavailable.
    pub fn mark_down(&self) {
        self.lock().failed_at = Some(Instant::now());
    }

    fn primary_at(&self, asked: Instant, reply: Reply) {
        let at = asked.saturating_duration_since(self.start);
        let mut inner = self.lock();
        match reply {
            Reply::Position(lsn) => inner.window.record(at, lsn),
            Reply::Null | Reply::Silent => inner.window.missed(at),
        }
    }

    fn standby_at(&self, asked: Instant, reply: Reply) {
        let mut inner = self.lock();
        let promoted = reply == Reply::Null;
        if promoted != inner.promoted {
            inner.promoted = promoted;
            if promoted {
                tracing::warn!(
                    "the read replica is not in recovery (promoted): reads go to the primary \
                     until MTDB_READ_DATABASE_URL names a standby again"
                );
            } else {
                tracing::info!("the read replica is in recovery again");
            }
        }
        match reply {
            Reply::Position(lsn) => {
                inner.window.replayed(lsn);
                inner.standby_up = true;
                if inner.failed_at.is_some_and(|failed| failed < asked) {
                    inner.failed_at = None;
                }
            }
            Reply::Null | Reply::Silent => inner.standby_up = false,
        }
    }
}

/// Starts the monitor of `standby` against `primary`; it stops once the returned state
/// is dropped by everyone else.
pub fn spawn(primary: ConnectionSettings, standby: ConnectionSettings) -> Arc<ReplicaState> {
    let state = Arc::new(ReplicaState::new());
    tokio::spawn(run(Arc::downgrade(&state), primary, standby));
    state
}

async fn run(state: Weak<ReplicaState>, primary: ConnectionSettings, standby: ConnectionSettings) {
    let mut primary = Probe::new(primary, PRIMARY_PROBE);
    let mut standby = Probe::new(standby, STANDBY_PROBE);
    let mut ticks = tokio::time::interval(PROBE_INTERVAL);
    ticks.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        ticks.tick().await;
        // Asked first, so that every write committed before `asked` is at or below the
        // position the primary answers.
        let asked = Instant::now();
        let position = primary.lsn().await;
        let Some(shared) = state.upgrade() else {
            return;
        };
        shared.primary_at(asked, position);
        drop(shared);
        let asked = Instant::now();
        let replayed = standby.lsn().await;
        let Some(shared) = state.upgrade() else {
            return;
        };
        shared.standby_at(asked, replayed);
    }
}

/// What a probe got.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Reply {
    /// A WAL position.
    Position(Lsn),
    /// An answer without one: the standby is not in recovery.
    Null,
    /// No answer in time.
    Silent,
}

/// One server, one statement, one connection kept between ticks.
struct Probe {
    settings: ConnectionSettings,
    statement: &'static str,
    client: Option<Client>,
}

impl Probe {
    fn new(settings: ConnectionSettings, statement: &'static str) -> Self {
        Self {
            settings,
            statement,
            client: None,
        }
    }

    /// What the statement returns; [`Reply::Silent`] when the server did not answer in
    /// time (the connection is then dropped).
    async fn lsn(&mut self) -> Reply {
        match tokio::time::timeout(PROBE_TIMEOUT, self.ask()).await {
            Ok(Ok(reply)) => reply,
            Ok(Err(e)) => {
                tracing::debug!(error = %e, "replica monitor probe failed");
                self.client = None;
                Reply::Silent
            }
            Err(_) => {
                self.client = None;
                Reply::Silent
            }
        }
    }

    async fn ask(&mut self) -> Result<Reply, tokio_postgres::Error> {
        let client = match self.client.take() {
            Some(client) if !client.is_closed() => client,
            _ => match self.connect().await {
                Some(client) => client,
                None => return Ok(Reply::Silent),
            },
        };
        let messages = client.simple_query(self.statement).await?;
        self.client = Some(client);
        let value = messages.iter().find_map(|message| match message {
            SimpleQueryMessage::Row(row) => Some(row.get(0)),
            _ => None,
        });
        Ok(match value {
            Some(Some(text)) => parse_lsn(text).map_or(Reply::Silent, Reply::Position),
            Some(None) => Reply::Null,
            None => Reply::Silent,
        })
    }

    async fn connect(&self) -> Option<Client> {
        let tls = match self.settings.tls() {
            Ok(tls) => tls,
            Err(e) => {
                tracing::warn!(error = %e, "replica monitor: TLS settings unusable");
                return None;
            }
        };
        let mut config = self.settings.config();
        // Each host of a multi-host URL in turn: the next must get its chance in time.
        let hosts = config.get_hosts().len();
        config.connect_timeout(crate::pool::per_host(PROBE_TIMEOUT, hosts));
        if config.get_application_name().is_none() {
            config.application_name("mtdb replica monitor");
        }
        match config.connect(tls).await {
            Ok((client, connection)) => {
                tokio::spawn(async move {
                    let _ = connection.await;
                });
                Some(client)
            }
            Err(e) => {
                tracing::debug!(error = %e, "replica monitor cannot connect");
                None
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_promoted_standby_is_never_read_from() {
        let state = ReplicaState::new();
        let bound = Duration::from_secs(600);
        state.primary_at(Instant::now(), Reply::Position(100));
        state.standby_at(Instant::now(), Reply::Position(100));
        assert_eq!(state.verdict(bound), Ok(()));
        // Promoted: it answers, but with no replay position, however fresh its data.
        state.standby_at(Instant::now(), Reply::Null);
        assert_eq!(state.verdict(bound), Err(Fallback::Down));
        assert!(!state.lag().1);
        // A standby again (rebuilt from the new primary): read from once more.
        state.standby_at(Instant::now(), Reply::Position(100));
        assert_eq!(state.verdict(bound), Ok(()));
    }
}
