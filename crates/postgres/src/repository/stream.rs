//! The list, streamed (docs/fairness.md): a task owns the pooled connection and the
//! read-only transaction, sends the count first, then the page's tenants through a small
//! bounded channel as the consumer takes them. Memory per list is a few rows, whatever
//! the page's size; dropping the stream aborts the task, whose transaction rolls back.

use deadpool_postgres::{Pool, Transaction};
use futures::stream;
use mtdb_domain::{Actor, ListQuery, ListTenantsError, Tenant};
use mtdb_ports::TenantPageStream;
use tokio::sync::{mpsc, oneshot};
use tokio::task::JoinHandle;
use tokio_postgres::{Portal, Row};

use super::sql;
use crate::errors::DbFailure;
use crate::fairness::Pass;
use crate::row::tenant_from_row;
use crate::unit_of_work::{begin, checkout, Access};

/// Rows fetched from PostgreSQL per round trip (a portal's `max_rows`): at 64 KiB of
/// metadata each, about half a MiB in flight.
const BATCH: i32 = 8;
/// Tenants decoded ahead of the consumer.
const AHEAD: usize = 2;

type Head = oneshot::Sender<Result<u64, DbFailure>>;
type Rows = mpsc::Sender<Result<Tenant, ListTenantsError>>;

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
    let task = AbortOnDrop(tokio::spawn(async move {
        // Held to the end: the connection's permit and the organization's ticket.
        let _pass = pass;
        run(&pool, &actor, &query, head, rows).await;
    }));
    let total_count = match count.await {
        Ok(result) => result?,
        Err(_) => return Err(DbFailure::internal("the list ended before its count").into()),
    };
    let tenants = stream::poll_fn(move |cx| {
        // The stream owns the task: dropped (client gone), it aborts it.
        let _owner = &task;
        received.poll_recv(cx)
    });
    Ok(TenantPageStream {
        total_count,
        limit,
        offset,
        tenants: Box::pin(tenants),
    })
}

async fn run(pool: &Pool, actor: &Actor, query: &ListQuery, head: Head, rows: Rows) {
    let mut head = Some(head);
    if let Err(failure) = stream_page(pool, actor, query, &mut head, &rows).await {
        // Before the count, the caller answers with the failure's own status; after it,
        // the stream ends with it.
        match head.take() {
            Some(head) => drop(head.send(Err(failure))),
            None => drop(rows.send(Err(failure.into())).await),
        }
    }
}

async fn stream_page(
    pool: &Pool,
    actor: &Actor,
    query: &ListQuery,
    head: &mut Option<Head>,
    rows: &Rows,
) -> Result<(), DbFailure> {
    // The page and its count come from one snapshot, so they agree.
    let mut client = checkout(pool).await?;
    let tx = begin(&mut client, actor, Access::ReadOnly).await?;
    let total_count = count(&tx, query).await?;
    // An offset past what PostgreSQL can take is past every row there can be.
    let portal = match i64::try_from(query.offset) {
        Ok(offset) if query.offset < total_count => Some(page(&tx, query, offset).await?),
        _ => None,
    };
    match head.take().map(|head| head.send(Ok(total_count))) {
        Some(Ok(())) => {}
        // Nobody waits for the page any more: dropping `tx` rolls back.
        _ => return Ok(()),
    }
    if let Some(portal) = portal {
        loop {
            let batch = tx.query_portal(&portal, BATCH).await?;
            let fetched = batch.len();
            for tenant in decode(batch).await? {
                if rows.send(Ok(tenant)).await.is_err() {
                    return Ok(());
                }
            }
            if fetched < BATCH as usize {
                break;
            }
        }
    }
    tx.commit().await?;
    Ok(())
}

/// Rows to tenants on the blocking pool: parsing 64 KiB of JSON per row is CPU work that
/// would otherwise delay every other request on this event loop.
async fn decode(batch: Vec<Row>) -> Result<Vec<Tenant>, DbFailure> {
    tokio::task::spawn_blocking(move || batch.iter().map(tenant_from_row).collect())
        .await
        .map_err(DbFailure::internal)?
}

async fn count(tx: &Transaction<'_>, query: &ListQuery) -> Result<u64, DbFailure> {
    let tenant_type = query.tenant_type.map(|t| t.as_str());
    let statement = tx.prepare_cached(sql::COUNT).await?;
    let total: i64 = tx
        .query_one(&statement, &[&tenant_type])
        .await?
        .try_get(0)?;
    u64::try_from(total).map_err(DbFailure::internal)
}

/// The page as a portal, read a batch at a time.
async fn page(tx: &Transaction<'_>, query: &ListQuery, offset: i64) -> Result<Portal, DbFailure> {
    let tenant_type = query.tenant_type.map(|t| t.as_str());
    let limit = i64::from(query.limit.get());
    let statement = tx.prepare_cached(sql::PAGE).await?;
    Ok(tx
        .bind(&statement, &[&tenant_type, &limit, &offset])
        .await?)
}

struct AbortOnDrop(JoinHandle<()>);

impl Drop for AbortOnDrop {
    fn drop(&mut self) {
        self.0.abort();
    }
}
