//! One failover under load, step by step, each step started by progress (acknowledged
//! writes, answered `503`s), never by the clock; what it measured.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use super::load::{self, Ledger, Progress};
use super::{Failover, PATIENCE};

/// Writers, half for HSBC, half for Barclays.
const WRITERS: usize = 6;
/// Acknowledged writes before the kill, and after the promotion.
const BEFORE: u64 = 150;
const AFTER: u64 = 60;

/// What one failover measured.
pub struct Figures {
    pub ledger: Ledger,
    /// `503`s the writers got.
    pub unavailable: u64,
    /// `404`s on tenants whose creation was acknowledged.
    pub not_found: u64,
    /// Responses that broke the contract (see [`Progress::violations`]).
    pub violations: Vec<String>,
    /// The writes acknowledged from just before a stall (if any) to the end of the kill:
    /// with replication stalled, the most it may lose.
    pub acknowledged_unsent: u64,
    /// WAL the standby had not flushed just before the kill.
    pub unflushed_bytes: i64,
    /// From the kill to `pg_ctl promote` returning.
    pub kill_to_promoted: Duration,
    /// From `pg_ctl promote` returning to the first write acknowledged after it.
    pub promoted_to_write: Duration,
    /// Tenants whose state on the new primary is not what the API acknowledged.
    pub lost: Vec<String>,
}

/// Whether the standby falls behind before the kill.
#[derive(Debug, Clone, Copy)]
pub enum Stall {
    /// Replication keeps up until the kill.
    No,
    /// Replication stops; the kill waits for this many more acknowledged writes (an
    /// asynchronous standby: commits go on without it).
    Writes(u64),
    /// Replication stops; the kill waits until this many commits wait for the standby (a
    /// synchronous one: commits are not answered without it).
    Waiting(i64),
}

/// Runs the load, kills the primary after [`BEFORE`] acknowledged writes (and `stall`),
/// promotes the standby once the API answered `503`, and stops after [`AFTER`] more
/// acknowledged writes; then compares every tenant of the ledger with the new primary.
pub async fn fail_over(failover: &mut Failover, stall: Stall) -> Figures {
    let progress = Arc::new(Progress::default());
    let load = tokio::spawn(load::run(
        failover.base.clone(),
        WRITERS,
        Arc::clone(&progress),
    ));
    until(
        &progress.acknowledged,
        |n| n >= BEFORE,
        "writes before the kill",
    )
    .await;
    let at_stall = progress.acknowledged.load(Ordering::Relaxed);
    match stall {
        Stall::No => {}
        Stall::Writes(writes) => {
            failover.primary.stall_replication().await;
            let stopped = progress.acknowledged.load(Ordering::Relaxed);
            let behind = |n| n >= stopped + writes;
            until(&progress.acknowledged, behind, "writes while stalled").await;
        }
        Stall::Waiting(commits) => {
            failover.primary.stall_replication().await;
            let deadline = Instant::now() + PATIENCE;
            while failover.primary.waiting_for_standby().await < commits {
                assert!(
                    Instant::now() < deadline,
                    "no commit waited for the standby"
                );
                tokio::time::sleep(Duration::from_millis(5)).await;
            }
        }
    }

    let unflushed_bytes = failover.primary.unflushed_by_standby().await;
    failover.primary.kill().await;
    let killed = Instant::now();
    let at_kill = progress.acknowledged.load(Ordering::Relaxed);
    // The gap: the API answers 503 (once the pooled connections are found dead).
    until(&progress.unavailable, |n| n >= 1, "a 503 after the kill").await;
    failover.standby.promote().await;
    let promoted = Instant::now();
    let at_promotion = progress.acknowledged.load(Ordering::Relaxed);
    until(
        &progress.acknowledged,
        |n| n > at_promotion,
        "a write after the promotion",
    )
    .await;
    let promoted_to_write = promoted.elapsed();
    until(
        &progress.acknowledged,
        |n| n >= at_promotion + AFTER,
        "writes after the promotion",
    )
    .await;
    progress.stop.store(true, Ordering::Relaxed);
    let ledger = tokio::time::timeout(PATIENCE, load)
        .await
        .expect("the writers stopped")
        .expect("the writers");

    let ids: Vec<String> = ledger.expected.keys().cloned().collect();
    let lost = failover
        .on_new_primary(&ids)
        .await
        .into_iter()
        .filter(|(id, actual)| !ledger.expected[id].admits(actual))
        .map(|(id, actual)| format!("{id}: {:?}, found {actual:?}", ledger.expected[&id]))
        .collect();
    let violations = progress.violations.lock().expect("violations").clone();
    Figures {
        unavailable: progress.unavailable.load(Ordering::Relaxed),
        not_found: progress.not_found.load(Ordering::Relaxed),
        violations,
        unflushed_bytes,
        acknowledged_unsent: at_kill - at_stall,
        kill_to_promoted: promoted - killed,
        promoted_to_write,
        lost,
        ledger,
    }
}

/// Waits until `counter` satisfies `ok` (bounded).
async fn until(counter: &AtomicU64, ok: impl Fn(u64) -> bool, what: &str) {
    let deadline = Instant::now() + PATIENCE;
    while !ok(counter.load(Ordering::Relaxed)) {
        assert!(Instant::now() < deadline, "no {what} within {PATIENCE:?}");
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
}

impl Figures {
    /// One line for the test's output (`--nocapture`) and the records.
    pub fn report(&self, what: &str) {
        println!(
            "failover ({what}): acknowledged {} creates, {} updates, {} deletes; {} answered \
             503, {} 404 on a tenant whose creation was acknowledged; standby {} bytes \
             behind before the kill; promoted {} ms after it; first write {} ms after the \
             promotion; {} acknowledged tenants not as acknowledged on the new primary",
            self.ledger.creates,
            self.ledger.updates,
            self.ledger.deletes,
            self.unavailable,
            self.not_found,
            self.unflushed_bytes,
            self.kill_to_promoted.as_millis(),
            self.promoted_to_write.as_millis(),
            self.lost.len()
        );
    }
}
