//! The one way the repository reaches the database: a pooled connection, a real
//! transaction, and the principal's context set by the transaction's first statement,
//! pipelined with the work so that a read costs one round trip (docs/performance.md).
//!
//! The context is set with `set_config(..., true)`, i.e. `SET LOCAL`: it ends with the
//! transaction, commit or rollback, so nothing of one principal survives on the pooled
//! connection into the next unit of work.
//!
//! Statements are pipelined: tokio-postgres sends a request when its future is first
//! polled, and `join!` polls in order, so `BEGIN`, the context, the query (and for a read
//! `COMMIT`) leave together and run in that order. If `BEGIN` fails, the rest runs outside
//! any transaction: the context dies with its own statement and the query runs as the login
//! role, which may read nothing (docs/security.md). If the context fails, the transaction
//! is aborted and PostgreSQL refuses everything after it until the end of the transaction.
//! This holds for named and unnamed statements alike (`crate::statement`): each connection
//! uses one or the other, as `MTDB_DB_STATEMENTS` decides for it (docs/pgbouncer.md).
//!
//! A unit of work that does not reach its end (its future dropped at any await point, a
//! commit or rollback that failed) never gives its connection back to the pool: the
//! [`Connection`] guard detaches it from the pool, which closes it, and the server rolls
//! its transaction back. Only a unit of work that ended cleanly returns its connection.

use std::future::Future;
use std::sync::atomic::{AtomicBool, Ordering};

use deadpool_postgres::Object;
use mtdb_domain::{Actor, Principal};
use tokio_postgres::types::{ToSql, Type};

use crate::errors::{DbFailure, StepContext};
use crate::pools::Pools;
use crate::statement::{self, Ready, Sql};

/// Which role a principal's statements run as. Row level security policies are written
/// `TO` these roles; the login role itself can read and write nothing.
pub const TENANT_ROLE: &str = "mtdb_tenant";
/// The role the platform admin's statements run as.
pub const ADMIN_ROLE: &str = "mtdb_platform_admin";

/// One statement (docs/security.md, section 2), the role bound as `$1` from the constants
/// the start-up check reads. The role comes first so that nothing runs as the login role
/// after it. The admin's tenant context is '' (no tenant: `mtdb_current_tenant_id()` is
/// null), so that a setting of an earlier statement in the same transaction cannot remain.
/// Schema-qualified: no search_path (a role's or a database's setting) can put another
/// `set_config` in front of PostgreSQL's.
pub const CONTEXT: &str = "select pg_catalog.set_config('role', $1, true), \
     pg_catalog.set_config('app.current_tenant_id', $2, true), \
     pg_catalog.set_config('app.actor_sub', $3, true)";

/// [`CONTEXT`] with its parameters' types.
pub(crate) static CONTEXT_STATEMENT: Sql<3> = Sql {
    text: CONTEXT,
    types: [Type::TEXT, Type::TEXT, Type::TEXT],
};

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

/// How `Access::ReadWrite` begins.
pub const BEGIN_READ_WRITE: &str = "begin isolation level read committed, read write";
/// How `Access::ReadOnly` begins.
pub const BEGIN_READ_ONLY: &str = "begin isolation level repeatable read, read only";

impl Access {
    // Spelled out rather than left to the database's defaults, which a role or database
    // setting could change.
    fn begin(self) -> &'static str {
        match self {
            Self::ReadWrite => BEGIN_READ_WRITE,
            Self::ReadOnly => BEGIN_READ_ONLY,
        }
    }
}

/// A pooled connection that goes back to the pool only if its unit of work ended cleanly
/// ([`Connection::release`]); dropped in any other state, it is detached from the pool
/// and closed, transaction, context and all.
pub(crate) struct Connection {
    object: Option<Object>,
    // Set through `&self`: the statements of the unit of work borrow the connection.
    clean: AtomicBool,
    // Named statements are safe on this connection (`crate::statement`).
    named: bool,
}

#[derive(Debug, thiserror::Error)]
#[error("the connection was already released")]
struct Released;

impl Connection {
    /// A connection from the pool.
    ///
    /// # Errors
    /// Unavailable when none is free within the pool's timeout or the server is down.
    pub(crate) async fn checkout(pool: &Pools) -> Result<Self, DbFailure> {
        let object = pool.get().await.step("taking a pooled connection")?;
        Ok(Self {
            named: statement::allows_named(&object),
            object: Some(object),
            clean: AtomicBool::new(false),
        })
    }

    /// `sql` ready to run on this connection: named where that is safe, else unnamed.
    pub(crate) async fn ready<const N: usize>(
        &self,
        sql: &'static Sql<N>,
        what: &'static str,
    ) -> Result<Ready<N>, DbFailure> {
        sql.ready(self.client()?, self.named).await.step(what)
    }

    /// Whether this connection runs named statements (else every statement is unnamed).
    pub(crate) fn names_statements(&self) -> bool {
        self.named
    }

    pub(crate) fn client(&self) -> Result<&Object, DbFailure> {
        self.object
            .as_ref()
            .ok_or_else(|| DbFailure::internal(Released))
    }

    /// The unit of work ended (committed or rolled back) and the connection is outside
    /// any transaction: it may serve the next one.
    pub(crate) fn release(&self) {
        self.clean.store(true, Ordering::Release);
    }
}

impl Drop for Connection {
    fn drop(&mut self) {
        if let Some(object) = self.object.take() {
            if !self.clean.load(Ordering::Acquire) {
                // Closed when dropped, never reused.
                drop(Object::take(object));
            }
        }
    }
}

/// The values of [`CONTEXT`] for `actor`.
fn context_values(actor: &Actor) -> (&'static str, String, &str) {
    match actor.principal {
        Principal::Tenant(id) => (TENANT_ROLE, id.to_string(), actor.subject.as_str()),
        Principal::PlatformAdmin => (ADMIN_ROLE, String::new(), actor.subject.as_str()),
    }
}

/// The context statement, ready before any statement of a pipeline is sent (named, it is
/// prepared once per connection, then a cache hit), so that the pipeline's order is the
/// order of its statements.
pub(crate) async fn prepare_context(connection: &Connection) -> Result<Ready<3>, DbFailure> {
    connection
        .ready(&CONTEXT_STATEMENT, "preparing the principal's context")
        .await
}

/// Starts a transaction acting as `actor` and runs `first` in it, in one round trip;
/// `what` names `first`'s step in its failure.
/// `first` must be built on the same connection from a [`Ready`] statement (a statement
/// by text would prepare it first, in a round trip of its own, after the rest).
pub(crate) async fn begin_with<T>(
    client: &Object,
    context: &Ready<3>,
    actor: &Actor,
    access: Access,
    (what, first): (
        &'static str,
        impl Future<Output = Result<T, tokio_postgres::Error>>,
    ),
) -> Result<T, DbFailure> {
    let (role, tenant, subject) = context_values(actor);
    let params: [&(dyn ToSql + Sync); 3] = [&role, &tenant, &subject];
    let (begun, context, first) = futures::join!(
        client.batch_execute(access.begin()),
        context.execute(client, params),
        first,
    );
    begun.step("starting the transaction")?;
    context.step("setting the principal's context")?;
    first.step(what)
}

/// A whole read-only unit of work in one round trip: start, context, `query`, commit.
/// After a failure anywhere, the pipelined `COMMIT` ends the aborted transaction (as a
/// rollback), so the connection is clean either way; only a failed `COMMIT` (or a drop
/// before it answered) leaves it to be closed.
pub(crate) async fn read_once<T>(
    connection: &Connection,
    context: &Ready<3>,
    actor: &Actor,
    query: (
        &'static str,
        impl Future<Output = Result<T, tokio_postgres::Error>>,
    ),
) -> Result<T, DbFailure> {
    let client = connection.client()?;
    let (read, committed) = futures::join!(
        begin_with(client, context, actor, Access::ReadOnly, query),
        client.batch_execute("commit"),
    );
    committed.step("ending the transaction")?;
    connection.release();
    read
}
