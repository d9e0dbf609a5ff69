//! The list response written as its tenants arrive: the same bytes `serde_json` writes
//! for a [`TenantPageResponse`](crate::dto::list::TenantPageResponse), without ever holding the page
//! (docs/fairness.md). Tenants are serialized on the blocking thread pool, all those
//! ready in one trip, so that megabytes of JSON never hold up the event loop that serves
//! others.

use actix_web::web::{self, Bytes};
use futures::stream::{self, Stream, StreamExt};
use mtdb_domain::Tenant;
use mtdb_ports::TenantPageStream;
use tracing::Instrument;

use crate::dto::tenant::TenantResponse;
use crate::error::ApiError;

/// Why a page stopped half-way (the cause was logged); the connection is then closed,
/// so a client never mistakes a cut page for a whole one.
#[derive(Debug, thiserror::Error)]
#[error("the page could not be completed")]
pub(crate) struct PageCut;

/// `{"tenants":[...],"total_count":N,"limit":L,"offset":O}`, tenant by tenant.
pub(crate) fn page_body(page: TenantPageStream) -> impl Stream<Item = Result<Bytes, PageCut>> {
    let head = Bytes::from_static(b"{\"tenants\":[");
    let tail = format!(
        "],\"total_count\":{},\"limit\":{},\"offset\":{}}}",
        page.total_count,
        page.limit.get(),
        page.offset
    );
    // The body is streamed after the handler returned, outside the request's span: each
    // chunk re-enters it, so that a failure's one log line still carries the request id.
    let span = tracing::Span::current();
    let mut first = true;
    let tenants = page
        .tenants
        .ready_chunks(CHUNK)
        .map(move |chunk| {
            let leading_comma = !first;
            first = false;
            (leading_comma, chunk)
        })
        .then(move |(leading_comma, chunk)| {
            async move {
                let tenants = chunk.into_iter().collect::<Result<Vec<Tenant>, _>>();
                let tenants = tenants.map_err(|e| {
                    // Converting logs the cause once, as for any other failed request.
                    let _logged = ApiError::from(e);
                    PageCut
                })?;
                let serialized = web::block(move || serialize(leading_comma, tenants));
                serialized.await.map_err(|_| PageCut)?
            }
            .instrument(span.clone())
        });
    stream::once(async { Ok(head) })
        .chain(tenants)
        .chain(stream::once(async { Ok(Bytes::from(tail)) }))
}

/// Tenants serialized per trip to the blocking pool, at most: as many as are ready, which
/// is the adapter's whole batch (a page of small rows, or a few large ones;
/// docs/fairness.md).
const CHUNK: usize = 128;

/// `,`-separated tenants, with a leading `,` unless they open the array.
fn serialize(leading_comma: bool, tenants: Vec<Tenant>) -> Result<Bytes, PageCut> {
    let mut out = Vec::with_capacity(512 * tenants.len());
    for (index, tenant) in tenants.into_iter().enumerate() {
        if leading_comma || index > 0 {
            out.push(b',');
        }
        serde_json::to_writer(&mut out, &TenantResponse::from(tenant)).map_err(|e| {
            tracing::error!(error = %e, "a tenant could not be serialized");
            PageCut
        })?;
    }
    Ok(Bytes::from(out))
}

#[cfg(test)]
mod tests;
