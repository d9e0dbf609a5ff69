//! The list, streamed (docs/fairness.md): a task owns the pooled connection and the
//! read-only transaction, sends the count first, then the page's tenants in batches
//! through a small bounded channel as the consumer takes them. Memory per list is a few
//! batches of rows, whatever the page's size.
//!
//! Nothing the consumer does holds the unit of work without bound (docs/fairness.md,
//! "Bounded holds"): the page must be handed over by the deadline, counted from the
//! start of the unit of work. A consumer that goes away (the client disconnected, or
//! took nothing for the write timeout) or runs out of time ends it the same way: the
//! rest of the page is read and discarded, the pipelined `COMMIT` ends the read-only
//! transaction, and the connection goes back to the pool. A stream that ends before its
//! last tenant ends with an error, never as a shorter page.

mod batch;
mod commit;
#[cfg(test)]
mod tests;

use std::pin::Pin;
use std::task::Poll;
use std::time::Duration;

use futures::future::{self, Either};
use futures::{ready, stream, Stream, StreamExt};
use mtdb_domain::{Actor, ListQuery, ListTenantsError, Principal, StoreError, Tenant};
use mtdb_ports::TenantPageStream;
use tokio::sync::{mpsc, oneshot};
use tokio::time::{timeout, timeout_at, Instant};
use tokio_postgres::types::ToSql;
use tokio_postgres::RowStream;
use tracing::Instrument;

use super::sql::typed as sql;
use crate::errors::{DbFailure, StepContext};
use crate::fairness::Pass;
use crate::pools::Pools;
use crate::unit_of_work::{begin_with, prepare_context, Access, Connection};
use batch::{decode, next_batch};

/// Batches decoded ahead of the consumer.
const AHEAD: usize = 1;
/// How long the rest of an abandoned page may take to arrive and be discarded before
/// the `COMMIT` behind it answers; past it the connection is closed instead. A page is
/// at most 1,000 rows, which PostgreSQL sends in well under this.
const ABANDON_WITHIN: Duration = Duration::from_secs(5);

type Head = oneshot::Sender<Result<u64, DbFailure>>;
/// Decoded tenants, and whether they are the page's last: the consumer may end there,
/// without waiting for the channel to close.
type Batch = Result<(Vec<Tenant>, bool), ListTenantsError>;
type Rows = mpsc::Sender<Batch>;

/// One list's unit of work.
struct Page<'a> {
    pool: &'a Pools,
    actor: &'a Actor,
    query: &'a ListQuery,
    deadline: Instant,
}

/// How the handing over of the page ended.
enum Handed {
    All,
    /// The consumer went away.
    Gone,
    /// The deadline passed first.
    TooSlow,
}

#[derive(Debug, thiserror::Error)]
#[error("the page was not taken within the response deadline, or its client went away")]
struct Cut;

/// Starts the unit of work and returns once the count is known (or the work failed); the
/// tenants then have until `deadline` from now to be taken.
pub(super) async fn list(
    pool: Pools,
    actor: Actor,
    query: ListQuery,
    pass: Pass,
    deadline: Duration,
) -> Result<TenantPageStream, ListTenantsError> {
    let (head, count) = oneshot::channel();
    let (rows, received) = mpsc::channel(AHEAD);
    let (limit, offset) = (query.limit, query.offset);
    let deadline = Instant::now() + deadline;
    let task = async move {
        // Held to the end: the connection's permit and the organization's ticket, so that
        // the organization's share counts until its connection is back in the pool.
        let _pass = pass;
        let page = Page {
            pool: &pool,
            actor: &actor,
            query: &query,
            deadline,
        };
        run(&page, head, rows).await;
    };
    tokio::spawn(task.instrument(tracing::Span::current()));
    let total_count = match count.await {
        Ok(result) => result?,
        Err(_) => return Err(DbFailure::internal("the list ended before its count").into()),
    };
    Ok(TenantPageStream {
        total_count,
        limit,
        offset,
        tenants: Box::pin(tenants(received)),
    })
}

/// The tenants as they arrive, up to the batch marked last; a channel closed before it
/// ends with an error.
fn tenants(
    mut received: mpsc::Receiver<Batch>,
) -> impl Stream<Item = Result<Tenant, ListTenantsError>> {
    let mut ended = false;
    let batches = stream::poll_fn(move |cx| {
        if ended {
            return Poll::Ready(None);
        }
        let next = ready!(received.poll_recv(cx));
        let next = match next {
            Some(Ok((batch, last))) => {
                ended = last;
                return Poll::Ready(Some(Ok(batch)));
            }
            Some(Err(e)) => Some(Err(e)),
            None => Some(Err(StoreError::Unavailable(Box::new(Cut)).into())),
        };
        ended = true;
        Poll::Ready(next)
    });
    batches.flat_map(|batch| match batch {
        Ok(tenants) => Either::Left(stream::iter(tenants.into_iter().map(Ok))),
        Err(e) => Either::Right(stream::once(future::ready(Err(e)))),
    })
}

async fn run(page: &Page<'_>, head: Head, rows: Rows) {
    let (mut head, mut rows) = (Some(head), Some(rows));
    if let Err(failure) = stream_page(page, &mut head, &mut rows).await {
        // Before the count, the caller answers with the failure's own status; after it,
        // the stream ends with it (if there is room: else the stream ends cut all the
        // same); after the last tenant, only the logs hear of it.
        match (head.take(), rows.take()) {
            (Some(head), _) => drop(head.send(Err(failure))),
            (None, Some(rows)) => drop(rows.try_send(Err(failure.into()))),
            (None, None) => drop(StoreError::from(failure)),
        }
    }
}

/// The unit of work: `BEGIN`, the context, the count, the page's query and the `COMMIT`
/// leave in one round trip; the page's rows then arrive as the consumer takes them.
/// tokio-postgres stops reading the socket while a query's rows wait unread (one message
/// batch per query), so PostgreSQL waits too and memory stays a few rows whatever the
/// page's size.
async fn stream_page(
    page: &Page<'_>,
    head: &mut Option<Head>,
    rows: &mut Option<Rows>,
) -> Result<(), DbFailure> {
    let (actor, query) = (page.actor, page.query);
    let connection = Connection::checkout(page.pool).await?;
    let client = connection.client()?;
    let context = prepare_context(&connection).await?;
    let count = match actor.principal {
        Principal::Tenant(_) => &sql::COUNT,
        Principal::PlatformAdmin => &sql::COUNT_AS_ADMIN,
    };
    let count = connection.ready(count, "preparing the count").await?;
    let statement = connection.ready(&sql::PAGE, "preparing the page").await?;
    let tenant_type = query.tenant_type.map(|t| t.as_str());
    let limit = i64::from(query.limit.get());
    // The page and its count come from one snapshot, so they agree. An offset past what
    // PostgreSQL can take is past every row there can be.
    let count_params: [&(dyn ToSql + Sync); 1] = [&tenant_type];
    let both = future::try_join(count.query_one(client, count_params), async {
        match i64::try_from(query.offset) {
            Ok(offset) => {
                let params: [&(dyn ToSql + Sync); 3] = [&tenant_type, &limit, &offset];
                statement.query_raw(client, params).await.map(Some)
            }
            Err(_) => Ok(None),
        }
    });
    let start = ("reading the count and the page", both);
    // The `COMMIT` leaves in the same round trip, right behind the page's query (`join!`
    // polls in order, and each statement is queued at its first poll): PostgreSQL answers
    // it after the last row, so the transaction ends without a round trip of its own.
    // Read-only, a commit and a rollback are the same; after a failure anywhere it ends
    // the aborted transaction.
    let mut commit = std::pin::pin!(future::maybe_done(client.batch_execute("commit")));
    let (started, refused) = futures::join!(
        begin_with(client, &context, actor, Access::ReadOnly, start),
        commit::send(commit.as_mut()),
    );
    let (count, rows_of_page) = match started {
        Ok(started) => started,
        Err(failure) => {
            // A refused statement is an ordinary end: keep the connection once the
            // `COMMIT` has ended the transaction.
            if refused.is_none() && ended(commit.as_mut()).await.is_ok() {
                connection.release();
            }
            return Err(failure);
        }
    };
    if let Some(e) = refused {
        return Err(DbFailure::from(e).step("ending the transaction"));
    }
    let total_count: i64 = count.try_get(0)?;
    let total_count = u64::try_from(total_count).map_err(DbFailure::internal)?;
    let handed = match head.take().map(|head| head.send(Ok(total_count))) {
        Some(Ok(())) => match rows_of_page {
            Some(rows_of_page) => {
                let mut rows_of_page = std::pin::pin!(rows_of_page);
                let handing = hand_over(rows_of_page.as_mut(), rows.as_ref());
                timeout_at(page.deadline, handing)
                    .await
                    .unwrap_or(Ok(Handed::TooSlow))?
            }
            // No row can be that far: an empty last batch.
            None => match rows
                .as_ref()
                .map(|rows| rows.try_send(Ok((Vec::new(), true))))
            {
                Some(Ok(())) => Handed::All,
                _ => Handed::Gone,
            },
        },
        // Nobody waits for the page any more.
        _ => Handed::Gone,
    };
    // What is left of the page was dropped above: tokio-postgres reads it off the socket
    // and discards it, and the `COMMIT` behind it then answers.
    match handed {
        Handed::All => {}
        Handed::TooSlow => tracing::info!("list cut: its page was not taken by the deadline"),
        Handed::Gone => tracing::debug!("list abandoned: its client went away"),
    }
    drop(rows.take());
    ended(commit.as_mut()).await?;
    connection.release();
    Ok(())
}

/// The answer of the `COMMIT` sent behind the page. Dropped unreleased, a connection whose
/// answer does not come in time is closed, its transaction with it.
async fn ended<F>(mut commit: Pin<&mut future::MaybeDone<F>>) -> Result<(), DbFailure>
where
    F: std::future::Future<Output = Result<(), tokio_postgres::Error>>,
{
    match timeout(ABANDON_WITHIN, commit.as_mut()).await {
        Ok(()) => commit::outcome(commit)
            .ok_or_else(|| DbFailure::internal("the commit's answer was taken twice"))?
            .step("ending the transaction"),
        Err(_) => Err(DbFailure::internal(
            "the abandoned page did not end in time",
        )),
    }
}

/// Hands the page over batch by batch until it ends or the consumer goes away.
async fn hand_over(
    mut page: Pin<&mut RowStream>,
    rows: Option<&Rows>,
) -> Result<Handed, DbFailure> {
    let Some(sender) = rows else {
        return Ok(Handed::Gone);
    };
    loop {
        let batch = next_batch(page.as_mut()).await?;
        // The last batch goes even when empty: the consumer ends on it.
        let ended = batch.ended;
        if sender
            .send(Ok((decode(batch).await?, ended)))
            .await
            .is_err()
        {
            return Ok(Handed::Gone);
        }
        if ended {
            return Ok(Handed::All);
        }
    }
}
