//! The list, streamed (docs/fairness.md): a task owns the pooled connection and the
//! read-only transaction, sends the count first, then the page's tenants in batches
//! through a small bounded channel as the consumer takes them. Memory per list is a few
//! batches of rows, whatever the page's size; dropping the stream aborts the task, whose
//! connection is then closed (see `crate::unit_of_work`), its transaction with it.

use std::error::Error;
use std::pin::Pin;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::task::Poll;

use deadpool_postgres::Pool;
use futures::future::{self, Either};
use futures::{stream, StreamExt};
use mtdb_domain::{Actor, ListQuery, ListTenantsError, Principal, StoreError, Tenant};
use mtdb_ports::TenantPageStream;
use tokio::sync::{mpsc, oneshot};
use tokio::task::JoinHandle;
use tokio_postgres::types::{FromSql, ToSql, Type};
use tokio_postgres::{Row, RowStream};

use super::sql::typed as sql;
use crate::errors::{DbFailure, StepContext};
use crate::fairness::Pass;
use crate::row::tenant_from_row;
use crate::unit_of_work::{begin_with, prepare_context, Access, Connection};

/// Rows decoded together (one trip to the blocking pool): a batch waits for `BYTES` of
/// row data, `MOST` rows or the end of the page, whichever comes first. A page of 100
/// small rows is one trip; large rows (64 KiB of metadata) go 4 or 5 at a time, so that a
/// list holds a few batches of under half a MiB each whatever the page's size
/// (docs/fairness.md): tokio-postgres receives ahead no more than a socket read or two.
const BYTES: usize = 256 * 1024;
/// At most this many rows per batch, however small.
const MOST: usize = 128;
/// Batches decoded ahead of the consumer.
const AHEAD: usize = 1;

type Head = oneshot::Sender<Result<u64, DbFailure>>;
type Rows = mpsc::Sender<Result<Vec<Tenant>, ListTenantsError>>;

/// Starts the unit of work and returns once the count is known (or the work failed).
pub(super) async fn list(
    pool: Pool,
    actor: Actor,
    query: ListQuery,
    pass: Pass,
) -> Result<TenantPageStream, ListTenantsError> {
    let (head, count) = oneshot::channel();
    let (rows, mut received) = mpsc::channel(AHEAD);
    let (limit, offset) = (query.limit, query.offset);
    // Until the last tenant is handed over, a dropped stream aborts the task (and closes
    // its connection); after it, the task finishes its COMMIT and gives the connection back.
    let streaming = Arc::new(AtomicBool::new(true));
    let flag = Arc::clone(&streaming);
    let handle = tokio::spawn(async move {
        // Held to the end: the connection's permit and the organization's ticket.
        let _pass = pass;
        run(&pool, &actor, &query, head, (rows, &flag)).await;
    });
    let task = AbortOnDrop { handle, streaming };
    let total_count = match count.await {
        Ok(result) => result?,
        Err(_) => return Err(DbFailure::internal("the list ended before its count").into()),
    };
    let batches = stream::poll_fn(move |cx| {
        // The stream owns the task: dropped (client gone), it aborts it.
        let _owner = &task;
        received.poll_recv(cx)
    });
    // Batches cross between the tasks; the consumer still takes tenants.
    let tenants = batches.flat_map(|batch| match batch {
        Ok(tenants) => Either::Left(stream::iter(tenants.into_iter().map(Ok))),
        Err(e) => Either::Right(stream::once(future::ready(Err(e)))),
    });
    Ok(TenantPageStream {
        total_count,
        limit,
        offset,
        tenants: Box::pin(tenants),
    })
}

async fn run(
    pool: &Pool,
    actor: &Actor,
    query: &ListQuery,
    head: Head,
    (rows, streaming): (Rows, &AtomicBool),
) {
    let (mut head, mut rows) = (Some(head), Some(rows));
    let tail = (&mut rows, streaming);
    if let Err(failure) = stream_page(pool, actor, query, &mut head, tail).await {
        // Before the count, the caller answers with the failure's own status; after it,
        // the stream ends with it; after the last tenant, only the logs hear of it.
        match (head.take(), rows.take()) {
            (Some(head), _) => drop(head.send(Err(failure))),
            (None, Some(rows)) => drop(rows.send(Err(failure.into())).await),
            (None, None) => drop(StoreError::from(failure)),
        }
    }
}

/// The unit of work: `BEGIN`, the context, the count and the page's query leave in one
/// round trip; the page's rows then arrive as the consumer takes them. tokio-postgres
/// stops reading the socket while a query's rows wait unread (one message batch per
/// query), so PostgreSQL waits too and memory stays a few rows whatever the page's size.
async fn stream_page(
    pool: &Pool,
    actor: &Actor,
    query: &ListQuery,
    head: &mut Option<Head>,
    (rows, streaming): (&mut Option<Rows>, &AtomicBool),
) -> Result<(), DbFailure> {
    let connection = Connection::checkout(pool).await?;
    let client = connection.client()?;
    let context = prepare_context(&connection).await?;
    let count = match actor.principal {
        Principal::Tenant(_) => &sql::COUNT,
        Principal::PlatformAdmin => &sql::COUNT_AS_ADMIN,
    };
    let count = connection.ready(count, "preparing the count").await?;
    let page = connection.ready(&sql::PAGE, "preparing the page").await?;
    let tenant_type = query.tenant_type.map(|t| t.as_str());
    let limit = i64::from(query.limit.get());
    // The page and its count come from one snapshot, so they agree. An offset past what
    // PostgreSQL can take is past every row there can be.
    let count_params: [&(dyn ToSql + Sync); 1] = [&tenant_type];
    let both = future::try_join(count.query_one(client, count_params), async {
        match i64::try_from(query.offset) {
            Ok(offset) => {
                let params: [&(dyn ToSql + Sync); 3] = [&tenant_type, &limit, &offset];
                page.query_raw(client, params).await.map(Some)
            }
            Err(_) => Ok(None),
        }
    });
    let start = ("reading the count and the page", both);
    let (count, page) = match begin_with(client, &context, actor, Access::ReadOnly, start).await {
        Ok(started) => started,
        Err(failure) => {
            // A refused statement is an ordinary end: roll back and keep the connection.
            if client.batch_execute("rollback").await.is_ok() {
                connection.release();
            }
            return Err(failure);
        }
    };
    // Sent now, behind the page's query: PostgreSQL answers it right after the last row,
    // so the transaction ends without a round trip of its own. Read-only, a commit and a
    // rollback are the same; a page abandoned half-way closes the connection instead.
    let mut commit = std::pin::pin!(client.batch_execute("commit"));
    if let Poll::Ready(Err(e)) = futures::poll!(commit.as_mut()) {
        return Err(DbFailure::from(e).step("ending the transaction"));
    }
    let total_count: i64 = count.try_get(0)?;
    let total_count = u64::try_from(total_count).map_err(DbFailure::internal)?;
    match head.take().map(|head| head.send(Ok(total_count))) {
        Some(Ok(())) => {}
        // Nobody waits for the page any more: the connection is closed on drop.
        _ => return Ok(()),
    }
    if let Some(page) = page {
        let mut page = std::pin::pin!(page);
        loop {
            let (batch, ended) = next_batch(page.as_mut()).await?;
            let Some(sender) = rows.as_ref() else { break };
            if !batch.is_empty() && sender.send(Ok(decode(batch).await?)).await.is_err() {
                // The consumer is gone: the connection is closed on drop, which also
                // stops PostgreSQL sending the rest of the page.
                return Ok(());
            }
            if ended {
                break;
            }
        }
    }
    // The page is complete: the response may end while the transaction does.
    streaming.store(false, Ordering::Release);
    drop(rows.take());
    commit.await.step("ending the transaction")?;
    connection.release();
    Ok(())
}

/// Rows up to `BYTES` of data or `MOST` rows, fewer at the end of the page; `true` once
/// the page has ended.
async fn next_batch(mut page: Pin<&mut RowStream>) -> Result<(Vec<Row>, bool), DbFailure> {
    let (mut batch, mut bytes) = (Vec::new(), 0);
    while bytes < BYTES && batch.len() < MOST {
        match page.next().await {
            Some(row) => {
                let row = row.step("reading the page")?;
                bytes += size(&row);
                batch.push(row);
            }
            None => return Ok((batch, true)),
        }
    }
    Ok((batch, false))
}

/// The bytes a row arrived with, whatever its columns' types.
fn size(row: &Row) -> usize {
    (0..row.len())
        .map(|column| row.try_get::<_, Raw>(column).map_or(0, |raw| raw.0))
        .sum()
}

/// A column's length on the wire (0 for `NULL`).
struct Raw(usize);

impl<'a> FromSql<'a> for Raw {
    fn from_sql(_: &Type, raw: &'a [u8]) -> Result<Self, Box<dyn Error + Sync + Send>> {
        Ok(Self(raw.len()))
    }

    fn from_sql_null(_: &Type) -> Result<Self, Box<dyn Error + Sync + Send>> {
        Ok(Self(0))
    }

    fn accepts(_: &Type) -> bool {
        true
    }
}

/// Rows to tenants on the blocking pool: parsing 64 KiB of JSON per row is CPU work that
/// would otherwise delay every other request on this event loop.
async fn decode(batch: Vec<Row>) -> Result<Vec<Tenant>, DbFailure> {
    tokio::task::spawn_blocking(move || batch.iter().map(tenant_from_row).collect())
        .await
        .map_err(DbFailure::internal)?
}

struct AbortOnDrop {
    handle: JoinHandle<()>,
    streaming: Arc<AtomicBool>,
}

impl Drop for AbortOnDrop {
    fn drop(&mut self) {
        if self.streaming.load(Ordering::Acquire) {
            self.handle.abort();
        }
    }
}
