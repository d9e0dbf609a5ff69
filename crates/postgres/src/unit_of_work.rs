//! The one way the repository reaches the database: a pooled connection, a real
//! transaction, and the principal's context set by the transaction's first statement.
//!
//! Every repository method goes through [`checkout`] then [`begin`]. The context is set
//! with `set_config(..., true)`, i.e. `SET LOCAL`: it ends with the transaction, commit or
//! rollback, so nothing of one principal survives on the pooled connection into the next
//! unit of work. The transaction is a `tokio_postgres` transaction rather than a `BEGIN`
//! sent by hand, so a request dropped half-way (client gone, timeout) rolls back.

use deadpool_postgres::{Object, Pool, Transaction};
use mtdb_domain::{Actor, Principal};
use tokio_postgres::IsolationLevel;

use crate::errors::DbFailure;

/// Which role a principal's statements run as. Row level security policies are written
/// `TO` these roles; the login role itself can read and write nothing.
pub(crate) const TENANT_ROLE: &str = "mtdb_tenant";
pub(crate) const ADMIN_ROLE: &str = "mtdb_platform_admin";

// One statement each (docs/security.md, section 2). The role comes first so that nothing
// runs as the login role after it.
const TENANT_CONTEXT: &str = "select set_config('role', 'mtdb_tenant', true), \
     set_config('app.current_tenant_id', $1, true), \
     set_config('app.actor_sub', $2, true)";
const ADMIN_CONTEXT: &str = "select set_config('role', 'mtdb_platform_admin', true), \
     set_config('app.actor_sub', $1, true)";

/// What a unit of work does.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Access {
    /// Reads and writes at `read committed`; writers lock the rows they check.
    ReadWrite,
    /// Reads only: a read-only `repeatable read` transaction, so that several reads
    /// agree with one another (a page and its total count) and nothing can be written by
    /// mistake. Read-only, it can never fail with a serialization error.
    ReadOnly,
}

/// A connection from the pool.
///
/// # Errors
/// Unavailable when none is free within the pool's timeout or the server is down.
pub(crate) async fn checkout(pool: &Pool) -> Result<Object, DbFailure> {
    Ok(pool.get().await?)
}

/// Starts a transaction on `client` acting as `actor`.
pub(crate) async fn begin<'c>(
    client: &'c mut Object,
    actor: &Actor,
    access: Access,
) -> Result<Transaction<'c>, DbFailure> {
    let builder = client.build_transaction();
    let builder = match access {
        Access::ReadWrite => builder,
        Access::ReadOnly => builder
            .isolation_level(IsolationLevel::RepeatableRead)
            .read_only(true),
    };
    let tx = builder.start().await?;
    set_context(&tx, actor).await?;
    Ok(tx)
}

async fn set_context(tx: &Transaction<'_>, actor: &Actor) -> Result<(), DbFailure> {
    let subject = actor.subject.as_str();
    match actor.principal {
        Principal::Tenant(id) => {
            let statement = tx.prepare_cached(TENANT_CONTEXT).await?;
            tx.execute(&statement, &[&id.to_string(), &subject]).await?;
        }
        Principal::PlatformAdmin => {
            let statement = tx.prepare_cached(ADMIN_CONTEXT).await?;
            tx.execute(&statement, &[&subject]).await?;
        }
    }
    Ok(())
}
