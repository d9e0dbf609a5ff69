//! The list response written as its tenants arrive: the same bytes `serde_json` writes
//! for a [`TenantPageResponse`](super::TenantPageResponse), without ever holding the page
//! (docs/fairness.md). Serialising one tenant at a time also yields to the event loop
//! between tenants, so other requests on the same worker are served in between.

use actix_web::web::Bytes;
use futures::stream::{self, Stream, StreamExt};
use mtdb_ports::TenantPageStream;

use super::TenantResponse;
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
    let tenants = page.tenants.enumerate().map(|(index, tenant)| {
        let tenant = tenant.map_err(|e| {
            // Converting logs the cause once, as for any other failed request.
            let _logged = ApiError::from(e);
            PageCut
        })?;
        let mut out = Vec::with_capacity(512);
        if index > 0 {
            out.push(b',');
        }
        serde_json::to_writer(&mut out, &TenantResponse::from(tenant)).map_err(|e| {
            tracing::error!(error = %e, "a tenant could not be serialised");
            PageCut
        })?;
        Ok(Bytes::from(out))
    });
    stream::once(async { Ok(head) })
        .chain(tenants)
        .chain(stream::once(async { Ok(Bytes::from(tail)) }))
}

#[cfg(test)]
mod tests;
