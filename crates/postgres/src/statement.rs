//! The statements of the hot path, named or unnamed (docs/pgbouncer.md).
//!
//! Named: prepared once per connection and cached, then each run is a bind and an
//! execute; the fastest, but a pooler that shares server connections between clients in
//! transaction mode (PgBouncer before 1.21) cannot carry them: the next transaction may
//! run on a server connection that never saw the statement, or one where another client
//! made a statement of the same name. Unnamed: parsed with each run, the parameters'
//! types given here, in the same single message as the bind and execute
//! (`query_typed`), so that nothing outlives the statement's own round trip.
//!
//! Either way a run sends its request when its future is first polled, so a pipeline
//! built with `join!` keeps its order (see `crate::unit_of_work`).

use std::pin::pin;

use deadpool_postgres::Object;
use futures::TryStreamExt;
use tokio_postgres::types::{ToSql, Type};
use tokio_postgres::{Client, Error, Row, RowStream, Statement};

mod mode;
mod pooler;

pub(crate) use mode::{allows_named, hook};
pub use mode::{InvalidStatementMode, StatementMode};

/// A statement's text and its parameters' types (for the unnamed form, which has no
/// prepare step to ask the server for them; a test checks they agree with the server's).
pub(crate) struct Sql<const N: usize> {
    pub(crate) text: &'static str,
    pub(crate) types: [Type; N],
}

/// The values of a statement's parameters.
pub(crate) type Params<'a, const N: usize> = [&'a (dyn ToSql + Sync); N];

/// A statement ready to run on one connection.
pub(crate) enum Ready<const N: usize> {
    /// Prepared on this connection (a hit of its cache after the first time).
    Named(Statement),
    /// Sent whole with each run.
    Unnamed(&'static Sql<N>),
}

impl<const N: usize> Sql<N> {
    /// Named (prepared on `client` unless its cache has it) when `named`, else unnamed.
    pub(crate) async fn ready(
        &'static self,
        client: &Object,
        named: bool,
    ) -> Result<Ready<N>, Error> {
        if named {
            client.prepare_cached(self.text).await.map(Ready::Named)
        } else {
            Ok(Ready::Unnamed(self))
        }
    }

    fn typed<'a>(&self, params: Params<'a, N>) -> [(&'a (dyn ToSql + Sync), Type); N] {
        std::array::from_fn(|i| (params[i], self.types[i].clone()))
    }
}

impl<const N: usize> Ready<N> {
    /// Zero or one row.
    pub(crate) async fn query_opt(
        &self,
        client: &Client,
        params: Params<'_, N>,
    ) -> Result<Option<Row>, Error> {
        match self {
            Self::Named(statement) => client.query_opt(statement, &params).await,
            Self::Unnamed(sql) => client.query_typed_opt(sql.text, &sql.typed(params)).await,
        }
    }

    /// Exactly one row.
    pub(crate) async fn query_one(
        &self,
        client: &Client,
        params: Params<'_, N>,
    ) -> Result<Row, Error> {
        match self {
            Self::Named(statement) => client.query_one(statement, &params).await,
            Self::Unnamed(sql) => client.query_typed_one(sql.text, &sql.typed(params)).await,
        }
    }

    /// The rows as they arrive.
    pub(crate) async fn query_raw(
        &self,
        client: &Client,
        params: Params<'_, N>,
    ) -> Result<RowStream, Error> {
        match self {
            Self::Named(statement) => client.query_raw(statement, params).await,
            Self::Unnamed(sql) => client.query_typed_raw(sql.text, sql.typed(params)).await,
        }
    }

    /// The rows it touched; rows it returns are read and dropped.
    pub(crate) async fn execute(
        &self,
        client: &Client,
        params: Params<'_, N>,
    ) -> Result<u64, Error> {
        match self {
            Self::Named(statement) => client.execute(statement, &params).await,
            Self::Unnamed(sql) => {
                let mut rows = pin!(client.query_typed_raw(sql.text, sql.typed(params)).await?);
                while rows.try_next().await?.is_some() {}
                Ok(rows.rows_affected().unwrap_or(0))
            }
        }
    }
}
