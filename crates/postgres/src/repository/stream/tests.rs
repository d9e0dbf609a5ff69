use futures::FutureExt;
use mtdb_domain::{fixture, Placement, TenantId};
use uuid::Uuid;

use super::*;

fn some_tenants(n: u128) -> Vec<Tenant> {
    (1..=n)
        .map(|i| fixture::tenant(TenantId::from(Uuid::from_u128(i)), Placement::TopLevel))
        .collect()
}

#[tokio::test]
async fn the_stream_ends_with_the_batch_marked_last_while_the_channel_is_open() {
    let (rows, received) = mpsc::channel(AHEAD);
    let mut stream = Box::pin(tenants(received));
    rows.send(Ok((some_tenants(2), true))).await.unwrap();
    assert!(stream.next().await.is_some_and(|t| t.is_ok()));
    assert!(stream.next().await.is_some_and(|t| t.is_ok()));
    // No waiting for the producer to close its end (it is still open here).
    assert!(stream
        .next()
        .now_or_never()
        .is_some_and(|end| end.is_none()));
    drop(rows);
}

#[tokio::test]
async fn a_channel_closed_before_the_last_batch_ends_with_an_error() {
    let (rows, received) = mpsc::channel(AHEAD);
    let mut stream = Box::pin(tenants(received));
    rows.send(Ok((some_tenants(1), false))).await.unwrap();
    drop(rows);
    assert!(stream.next().await.is_some_and(|t| t.is_ok()));
    assert!(
        stream.next().await.is_some_and(|t| t.is_err()),
        "a cut page, not a short one"
    );
    assert!(stream.next().await.is_none());
}
