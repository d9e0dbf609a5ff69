//! The page's rows in batches: read from the connection up to a size, then decoded to
//! tenants, off the event loop when the batch is large.

use std::error::Error;
use std::pin::Pin;

use futures::StreamExt;
use mtdb_domain::Tenant;
use tokio_postgres::types::{FromSql, Type};
use tokio_postgres::{Row, RowStream};

use crate::errors::{DbFailure, StepContext};
use crate::row::tenant_from_row;

/// Rows decoded together: a batch waits for `BYTES` of row data, `MOST` rows or the end of
/// the page, whichever comes first. A page of 100 small rows is one batch; large rows
/// (64 KiB of metadata) go 4 or 5 at a time, so that a list holds a few batches of under
/// half a MiB each whatever the page's size (docs/fairness.md): tokio-postgres receives
/// ahead no more than a socket read or two.
const BYTES: usize = 256 * 1024;
/// At most this many rows per batch, however small.
const MOST: usize = 128;

/// A batch of at most this much row data is decoded on the event loop: a page of ordinary
/// tenants is one such batch, spared the blocking pool's thread switches; a larger one
/// would delay the loop's other requests.
const INLINE: usize = 64 * 1024;

/// Rows read together.
pub(super) struct Batch {
    pub rows: Vec<Row>,
    /// Their data's size on the wire.
    bytes: usize,
    /// The page has no rows after these.
    pub ended: bool,
}

/// Rows up to `BYTES` of data or `MOST` rows, fewer at the end of the page.
pub(super) async fn next_batch(mut page: Pin<&mut RowStream>) -> Result<Batch, DbFailure> {
    let (mut rows, mut bytes) = (Vec::new(), 0);
    while bytes < BYTES && rows.len() < MOST {
        match page.next().await {
            Some(row) => {
                let row = row.step("reading the page")?;
                bytes += size(&row);
                rows.push(row);
            }
            None => {
                return Ok(Batch {
                    rows,
                    bytes,
                    ended: true,
                })
            }
        }
    }
    Ok(Batch {
        rows,
        bytes,
        ended: false,
    })
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

/// Rows to tenants: here for a small batch, else on the blocking pool, since parsing up to
/// 64 KiB of JSON per row is CPU work that would delay every other request on this event
/// loop.
pub(super) async fn decode(batch: Batch) -> Result<Vec<Tenant>, DbFailure> {
    let rows = batch.rows;
    if batch.bytes <= INLINE {
        return rows.iter().map(tenant_from_row).collect();
    }
    tokio::task::spawn_blocking(move || rows.iter().map(tenant_from_row).collect())
        .await
        .map_err(DbFailure::internal)?
}
