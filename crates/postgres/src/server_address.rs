//! Which server the pool's new connections reach. With a multi-host `DATABASE_URL` and
//! `target_session_attrs=read-write`, that is the first host that accepts writes, and it
//! changes when a standby is promoted (docs/operations.md, "Failover"). Each new
//! connection asks the server where it is (`inet_server_addr()` and the `port` setting:
//! one simple query, allowed to any role); the first answer and every change are logged.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use deadpool_postgres::{ClientWrapper, Hook, HookError};
use tokio_postgres::SimpleQueryMessage;

const WHERE: &str = "select coalesce(pg_catalog.host(pg_catalog.inet_server_addr()), \
                     'unix socket') || ':' || pg_catalog.current_setting('port')";

/// The pool's hook for each connection it opens; `bound` limits the question (an answer
/// too late is not logged, and the connection serves all the same).
pub(crate) fn hook(bound: Duration) -> Hook {
    let last: Arc<Mutex<Option<String>>> = Arc::default();
    Hook::async_fn(move |client: &mut ClientWrapper, _| {
        let last = Arc::clone(&last);
        Box::pin(async move {
            if let Ok(Some(server)) = tokio::time::timeout(bound, address(client)).await {
                note(&last, server);
            }
            Ok::<(), HookError>(())
        })
    })
}

async fn address(client: &ClientWrapper) -> Option<String> {
    let messages = client.simple_query(WHERE).await.ok()?;
    messages.iter().find_map(|message| match message {
        SimpleQueryMessage::Row(row) => row.get(0).map(str::to_owned),
        _ => None,
    })
}

/// Logs `server` when it differs from the last one a connection reached.
fn note(last: &Mutex<Option<String>>, server: String) {
    let Ok(mut last) = last.lock() else {
        return;
    };
    match last.as_deref() {
        Some(previous) if previous == server => return,
        Some(previous) => {
            tracing::warn!(%server, %previous, "database connections now reach another server");
        }
        None => tracing::info!(%server, "database connections reach their server"),
    }
    *last = Some(server);
}
