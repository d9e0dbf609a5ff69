use std::future::Future;
use std::pin::Pin;

use futures::FutureExt;

use super::*;

type Acquire<'a> = Pin<Box<dyn Future<Output = Permit<&'static str>> + 'a>>;

/// Starts an `acquire` and polls it once, so that it holds its place in the queue.
fn queued<'a>(queue: &'a FairQueue<&'static str>, key: &'static str) -> Acquire<'a> {
    let mut waiter: Acquire<'a> = Box::pin(queue.acquire(key));
    assert!(
        (&mut waiter).now_or_never().is_none(),
        "{key} was not queued"
    );
    waiter
}

fn now(queue: &FairQueue<&'static str>, key: &'static str) -> Option<Permit<&'static str>> {
    queue.acquire(key).now_or_never()
}

#[test]
fn one_organization_alone_gets_every_permit() {
    let queue = FairQueue::new(3, 0);
    let held: Vec<_> = (0..3).map(|_| now(&queue, "a")).collect();
    assert!(
        held.iter().all(Option::is_some),
        "work-conserving: all 3 at once"
    );
    assert!(now(&queue, "a").is_none(), "a fourth waits");
    drop(held);
    assert!(
        now(&queue, "a").is_some(),
        "released permits are free again"
    );
}

#[test]
fn two_organizations_waiting_take_turns() {
    let queue = FairQueue::new(1, 0);
    let holder = now(&queue, "a");
    // "a" queues three before "b" queues two: a FIFO would serve a, a, a, b, b.
    let mut waiters: Vec<(&str, Acquire<'_>)> = ["a", "a", "a", "b", "b"]
        .into_iter()
        .map(|key| (key, queued(&queue, key)))
        .collect();
    drop(holder);
    let mut served = Vec::new();
    while !waiters.is_empty() {
        // Exactly one waiter holds the one permit; it drops it at once (the result of
        // `now_or_never` is not kept), which hands it to the next in turn.
        let ready = waiters
            .iter_mut()
            .position(|(_, waiter)| waiter.as_mut().now_or_never().is_some());
        let Some(index) = ready else {
            panic!("a released permit reached no waiter")
        };
        served.push(waiters.remove(index).0);
    }
    assert_eq!(served, ["a", "b", "a", "b", "a"]);
}

#[test]
fn a_dropped_waiter_loses_no_permit() {
    let queue = FairQueue::new(1, 0);
    let holder = now(&queue, "a");
    let waiter = queued(&queue, "b");
    assert_eq!(queue.waiting(), 1);
    drop(waiter);
    assert_eq!(queue.waiting(), 0, "the dropped waiter left the queue");
    drop(holder);
    assert!(
        now(&queue, "c").is_some(),
        "the permit is free, not handed to a ghost"
    );
}

#[test]
fn a_permit_handed_to_a_waiter_dropped_before_it_looked_comes_back() {
    let queue = FairQueue::new(1, 0);
    let holder = now(&queue, "a");
    let waiter = queued(&queue, "b");
    // The release hands the permit to "b"'s channel; "b" never polls again.
    drop(holder);
    assert!(now(&queue, "c").is_none(), "the permit went to b");
    drop(waiter);
    assert!(now(&queue, "c").is_some(), "b's unread permit was released");
}

#[test]
fn the_reserve_serves_only_an_organization_holding_no_shared_permit() {
    let queue = FairQueue::new(2, 2);
    let flood: Vec<_> = (0..2).map(|_| now(&queue, "a")).collect();
    assert!(flood.iter().all(Option::is_some));
    assert!(
        now(&queue, "a").is_none(),
        "a holds shared permits: no reserve for it"
    );
    let b1 = now(&queue, "b");
    let b2 = now(&queue, "b");
    assert!(
        b1.is_some() && b2.is_some(),
        "b holds none: the reserve is its"
    );
    assert!(now(&queue, "c").is_none(), "the reserve is spent");
    drop(b1);
    assert!(
        now(&queue, "c").is_some(),
        "a reserved permit comes back as one"
    );
}

#[test]
fn a_released_reserved_permit_skips_waiters_that_hold_shared_ones() {
    let queue = FairQueue::new(1, 1);
    let a = now(&queue, "a");
    let b = now(&queue, "b");
    assert!(a.is_some() && b.is_some());
    let mut a_again = queued(&queue, "a");
    let mut c = queued(&queue, "c");
    drop(b);
    assert!(
        a_again.as_mut().now_or_never().is_none(),
        "a holds a shared permit"
    );
    assert!(
        c.as_mut().now_or_never().is_some(),
        "c holds none: the reserve is its"
    );
    drop(a);
    assert!(
        a_again.as_mut().now_or_never().is_some(),
        "the shared one goes to a"
    );
}

type SentAcquire<'a> = Pin<Box<dyn Future<Output = Permit<&'static str>> + Send + 'a>>;

/// As [`queued`], queued from a thread of its own.
fn queued_elsewhere<'a>(queue: &'a FairQueue<&'static str>, key: &'static str) -> SentAcquire<'a> {
    std::thread::scope(|scope| {
        scope
            .spawn(|| {
                let mut waiter: SentAcquire<'a> = Box::pin(queue.acquire(key));
                assert!(
                    (&mut waiter).now_or_never().is_none(),
                    "{key} was not queued"
                );
                waiter
            })
            .join()
            .unwrap()
    })
}

/// First come, first served within one organization: a permit released on this thread
/// goes to the waiter queued first on another, not to the one queued here after it.
#[test]
fn within_one_organization_the_first_queued_is_served_first_whatever_thread_releases() {
    let queue = FairQueue::new(1, 0);
    let holder = now(&queue, "a");
    let mut first = queued_elsewhere(&queue, "a");
    let mut second = queued(&queue, "a");
    drop(holder);
    assert!(
        second.as_mut().now_or_never().is_none(),
        "the waiter queued here, second, took the permit released here"
    );
    assert!(
        first.as_mut().now_or_never().is_some(),
        "the first waiter was served"
    );
    assert!(second.as_mut().now_or_never().is_some(), "then the second");
}

#[test]
fn another_organization_keeps_its_turn_whatever_the_thread() {
    let queue = FairQueue::new(1, 0);
    let held = now(&queue, "a");
    let mut theirs = queued_elsewhere(&queue, "b");
    let mut ours = queued(&queue, "a");
    drop(held);
    let served = (&mut theirs).now_or_never();
    assert!(served.is_some(), "b's turn came first");
    assert!(ours.as_mut().now_or_never().is_none());
}
