//! The primary dies (docs/operations.md, "Failover"): a cluster of the test's own (never
//! the shared one), a standby from `pg_basebackup`, the real `mtdb serve` on a multi-host
//! `DATABASE_URL` with `target_session_attrs=read-write`, writers recording every write
//! the API acknowledged; then `kill -9` of every process of the primary, `pg_ctl promote`
//! of the standby, and the new primary read directly.

mod asynchronous;
mod load;
mod scenario;
mod stopped_standby;
mod synchronous;

use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use mtdb_testing::{OwnCluster, Replication, Standby};
use reqwest::Client;
use serde_json::Value;
use tokio::process::Child;
use tokio_postgres::NoTls;

use crate::process::spawn_serve;
use load::Expected;

/// The longest a test waits for anything (a condition it polls, never a pause).
const PATIENCE: Duration = Duration::from_secs(60);

/// A primary, its standby, and `mtdb serve` on both.
pub struct Failover {
    pub primary: OwnCluster,
    pub standby: Standby,
    pub base: String,
    metrics: String,
    /// Every JSON line the server logged so far.
    log: Arc<Mutex<Vec<Value>>>,
    _server: Child,
}

impl Failover {
    /// The cluster migrated and seeded, its standby, and the server on
    /// `host=primary,standby target_session_attrs=read-write`; with `read_replica`, reads
    /// go to the standby too (`MTDB_READ_DATABASE_URL`).
    pub async fn start(replication: Replication, read_replica: bool) -> Self {
        let primary = OwnCluster::start().await;
        mtdb_postgres_admin::migrate_up(primary.admin_url())
            .await
            .expect("migrating");
        mtdb_postgres_admin::ensure_login_role(primary.admin_url(), primary.app_url())
            .await
            .expect("provisioning the login role");
        mtdb_postgres_admin::seed_demo(primary.admin_url())
            .await
            .expect("seeding");
        let standby = primary.standby(replication).await;
        let url = format!(
            "postgres://mtdb_app:mtdb_app@{},{}/mtdb?target_session_attrs=read-write",
            primary.address(),
            standby.address()
        );
        let read_url = standby.url_for(primary.app_url());
        let metrics = free_address();
        let metrics_listen = metrics.to_string();
        let mut env = vec![("MTDB_METRICS_LISTEN", metrics_listen.as_str())];
        if read_replica {
            env.push(("MTDB_READ_DATABASE_URL", read_url.as_str()));
        }
        let (server, mut lines, base) = spawn_serve(&url, "info", &env).await;
        let log = Arc::new(Mutex::new(Vec::new()));
        let kept = Arc::clone(&log);
        // Read to the end, or the server blocks once the pipe is full.
        tokio::spawn(async move {
            while let Ok(Some(line)) = lines.next_line().await {
                if let (Ok(entry), Ok(mut log)) = (serde_json::from_str(&line), kept.lock()) {
                    log.push(entry);
                }
            }
        });
        Self {
            primary,
            standby,
            base,
            metrics: format!("http://{metrics}"),
            log,
            _server: server,
        }
    }

    /// The log lines whose message contains `message`.
    pub fn logged(&self, message: &str) -> Vec<Value> {
        let log = self.log.lock().expect("the log");
        log.iter()
            .filter(|e| e["message"].as_str().is_some_and(|m| m.contains(message)))
            .cloned()
            .collect()
    }

    /// Waits until the server logged `message` (bounded).
    pub async fn until_logged(&self, message: &str) -> Value {
        let deadline = Instant::now() + PATIENCE;
        loop {
            if let Some(entry) = self.logged(message).pop() {
                return entry;
            }
            assert!(Instant::now() < deadline, "never logged {message:?}");
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    }

    /// The sum of every series of `name` whose labels contain each of `labels`.
    pub async fn metric(&self, name: &str, labels: &[&str]) -> f64 {
        let text = Client::new()
            .get(format!("{}/metrics", self.metrics))
            .send()
            .await
            .expect("scraping")
            .text()
            .await
            .expect("the metrics");
        text.lines()
            .filter(|line| line.starts_with(name) && labels.iter().all(|l| line.contains(l)))
            .filter_map(|line| line.rsplit_once(' ')?.1.parse::<f64>().ok())
            .sum()
    }

    /// What each tenant of `ids` looks like on the standby (the new primary), read
    /// directly as the platform admin: deleted ones are hidden, so absent means deleted.
    pub async fn on_new_primary(&self, ids: &[String]) -> Vec<(String, Expected)> {
        let url = self.standby.url_for(self.primary.app_url());
        let (mut client, connection) = tokio_postgres::connect(&url, NoTls)
            .await
            .expect("connecting to the new primary");
        tokio::spawn(connection);
        let tx = client.transaction().await.expect("begin");
        tx.batch_execute("select set_config('role', 'mtdb_platform_admin', true)")
            .await
            .expect("switch role");
        let rows = tx
            .query(
                "select tenant_id::text, name from tenants \
                 where tenant_id = any($1::text[]::uuid[])",
                &[&ids],
            )
            .await
            .expect("reading the tenants");
        let live: std::collections::HashMap<String, String> =
            rows.iter().map(|r| (r.get(0), r.get(1))).collect();
        ids.iter()
            .map(|id| {
                let actual = live
                    .get(id)
                    .map_or(Expected::Deleted, |name| Expected::Live(name.clone()));
                (id.clone(), actual)
            })
            .collect()
    }
}

/// An address of 127.0.0.1 nobody listens on now, for the metrics listener.
fn free_address() -> SocketAddr {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("a free port")
}
