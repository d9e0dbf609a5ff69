//! The list response written as its tenants arrive: the same bytes `serde_json` writes
//! for a [`TenantPageResponse`](crate::dto::list::TenantPageResponse), without ever holding the page
//! (docs/fairness.md). A chunk of small tenants (a page of ordinary tenants is one) is
//! serialized right here; a chunk of large ones goes whole to the blocking thread pool in
//! one trip, so that the JSON of large tenants never holds up the event loop that serves
//! others.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

use actix_web::web::{self, Bytes};
use futures::stream::{self, Stream, StreamExt};
use mtdb_domain::Tenant;
use mtdb_ports::TenantPageStream;
use tracing::Instrument;

use crate::dto::tenant::TenantResponse;
use crate::error::ApiError;
use estimate::estimated_len;

/// Why a page stopped half-way (the cause was logged); the connection is then closed,
/// so a client never mistakes a cut page for a whole one.
#[derive(Debug, thiserror::Error)]
#[error("the page could not be completed")]
pub(crate) struct PageCut;

/// `{"tenants":[...],"total_count":N,"limit":L,"offset":O}`, tenant by tenant. The
/// opening goes out with the first tenants and the end with the last ones, so that a page
/// of ordinary tenants is one piece written at once (with the response's head).
pub(crate) fn page_body(page: TenantPageStream) -> impl Stream<Item = Result<Bytes, PageCut>> {
    let tail = format!(
        "],\"total_count\":{},\"limit\":{},\"offset\":{}}}",
        page.total_count,
        page.limit.get(),
        page.offset
    );
    // Whether a chunk carried the opening: an empty page sends it with the end.
    let opened = Arc::new(AtomicBool::new(false));
    let opened_by_chunk = Arc::clone(&opened);
    // The body is streamed after the handler returned, outside the request's span: each
    // chunk re-enters it, so that a failure's one log line still carries the request id.
    let span = tracing::Span::current();
    let tenants = page
        .tenants
        .ready_chunks(CHUNK)
        .map(move |chunk| (!opened_by_chunk.swap(true, Ordering::Relaxed), chunk))
        .then(move |(opening, chunk)| {
            async move {
                let tenants = chunk.into_iter().collect::<Result<Vec<Tenant>, _>>();
                let tenants = tenants.map_err(|e| {
                    // Converting logs the cause once, as for any other failed request.
                    let _logged = ApiError::from(e);
                    PageCut
                })?;
                serialize(opening, tenants).await
            }
            .instrument(span.clone())
        });
    let end = stream::once(async move {
        let end = if opened.load(Ordering::Relaxed) {
            tail
        } else {
            format!("{OPENING}{tail}")
        };
        Ok(Bytes::from(end))
    });
    tenants.chain(end)
}

/// Tenants taken per chunk, at most: as many as are ready, which is the adapter's whole
/// batch (a page of small rows, or a few large ones; docs/fairness.md).
const CHUNK: usize = 128;

/// Most JSON a chunk may be estimated at to be written on the event loop. A page of
/// ordinary tenants fits, and is spared the pool's thread switches. A larger chunk goes
/// whole to the blocking pool: every list in flight has a chunk ready at once under a
/// flood of large tenants, and an event loop writing even one large tenant per list
/// before each of its other requests made a light `GET` wait tens of milliseconds.
const INLINE: usize = 64 * 1024;

/// What the body opens with.
const OPENING: &str = "{\"tenants\":[";

/// `,`-separated tenants: after the body's opening when they are its first, else after a
/// `,`.
async fn serialize(opening: bool, tenants: Vec<Tenant>) -> Result<Bytes, PageCut> {
    let estimate: usize = tenants.iter().map(estimated_len).sum();
    if estimate <= INLINE {
        return write_all(opening, tenants, estimate);
    }
    web::block(move || write_all(opening, tenants, estimate))
        .await
        .map_err(|_| PageCut)?
}

/// The chunk's JSON, `,`-separated, after the body's opening when `opening`.
fn write_all(opening: bool, tenants: Vec<Tenant>, estimate: usize) -> Result<Bytes, PageCut> {
    let mut out = Vec::with_capacity(OPENING.len() + estimate);
    if opening {
        out.extend_from_slice(OPENING.as_bytes());
    }
    for (n, tenant) in tenants.into_iter().enumerate() {
        write(&mut out, !opening || n > 0, tenant)?;
    }
    Ok(Bytes::from(out))
}

/// One tenant, after a `,` when `comma`.
fn write(out: &mut Vec<u8>, comma: bool, tenant: Tenant) -> Result<(), PageCut> {
    if comma {
        out.push(b',');
    }
    serde_json::to_writer(out, &TenantResponse::from(tenant)).map_err(|e| {
        tracing::error!(error = %e, "a tenant could not be serialized");
        PageCut
    })
}

mod estimate;
#[cfg(test)]
mod tests;
