//! Read replicas on real processes: a hot standby of the project-local cluster
//! (`mtdb_testing::Standby`, streaming replication from `pg_basebackup -R`)
//! behind a real `mtdb serve` with `MTDB_READ_DATABASE_URL` (docs/replicas.md). Which
//! server answered is never in a response: the tests tell it by what the answer holds
//! (a standby with replay paused misses a new tenant) and by the metrics listener's
//! counts.

mod fallback;
mod routing;

use std::net::SocketAddr;
use std::time::{Duration, Instant};

use mtdb_app::config::ReadReplicaSettings;
use mtdb_postgres::ConnectionSettings;
use mtdb_testing::{Standby, TestDatabase};
use reqwest::StatusCode;
use serde_json::json;

use crate::helpers::*;

/// The longest a test waits for the monitor to see something.
const PATIENCE: Duration = Duration::from_secs(30);

/// A server reading from a standby, with metrics on.
pub struct ReplicaApp {
    pub app: TestApp,
    pub standby: Standby,
    metrics: String,
}

impl ReplicaApp {
    /// A seeded database, a standby of it, and a server reading there while it lags at
    /// most `max_lag`.
    pub async fn spawn(max_lag: Duration) -> Self {
        let db = TestDatabase::create().await;
        mtdb_postgres_admin::seed_demo(db.admin_url())
            .await
            .expect("seeding the demo");
        let standby = Standby::start().await;
        let read_url = standby.url_for(db.app_url());
        let app = TestApp::spawn_on(db, |settings| {
            settings.metrics_listen = Some(SocketAddr::from(([127, 0, 0, 1], 0)));
            settings.database.read_replica = Some(ReadReplicaSettings {
                connection: ConnectionSettings::parse(&read_url).expect("the standby's URL"),
                max_lag,
            });
        })
        .await;
        let metrics = app.metrics_address.clone().expect("metrics are on");
        Self {
            app,
            standby,
            metrics,
        }
    }

    pub async fn scrape(&self) -> String {
        let response = self
            .app
            .client
            .get(format!("{}/metrics", self.metrics))
            .send()
            .await
            .expect("scraping");
        assert_eq!(response.status(), StatusCode::OK);
        response.text().await.expect("the metrics")
    }

    /// The value of one series, e.g. `mtdb_db_replica_up`.
    pub async fn value(&self, series: &str) -> Option<f64> {
        let text = self.scrape().await;
        text.lines()
            .find_map(|line| line.strip_prefix(series)?.strip_prefix(' '))
            .map(|v| v.parse().expect("a number"))
    }

    /// Reads counted so far with these labels.
    pub async fn reads(&self, target: &str, reason: &str) -> u64 {
        let series = format!("mtdb_db_reads_total{{target=\"{target}\",reason=\"{reason}\"}}");
        self.value(&series).await.map_or(0, |v| v as u64)
    }

    /// Polls the metrics until `series` satisfies `ok` (bounded: fails after PATIENCE).
    pub async fn wait_for(&self, series: &str, ok: impl Fn(f64) -> bool) {
        let deadline = Instant::now() + PATIENCE;
        loop {
            if self.value(series).await.is_some_and(&ok) {
                return;
            }
            assert!(Instant::now() < deadline, "{series} never got there");
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    }

    /// Until the monitor has seen the standby answer.
    pub async fn wait_until_up(&self) {
        self.wait_for("mtdb_db_replica_up", |v| v == 1.0).await;
    }

    /// A new subsidiary of HSBC, created by HSBC's principal; its id.
    pub async fn create_subsidiary(&self, name: &str) -> String {
        let created = json(
            self.app
                .create(
                    As::Tenant(HSBC),
                    &json!({"name": name, "tenant_type": "subsidiary", "parent_tenant_id": HSBC}),
                )
                .await,
            StatusCode::CREATED,
        )
        .await;
        created["tenant_id"].as_str().expect("an id").to_owned()
    }

    /// `GET` of one tenant, with `Mtdb-Consistency: strong` when `strong`.
    pub async fn get(&self, id: &str, strong: bool) -> reqwest::Response {
        self.read(&format!("/api/v1/tenants/{id}"), strong).await
    }

    /// The ids of HSBC's list, strong or not.
    pub async fn hsbc_ids(&self, strong: bool) -> Vec<String> {
        let page = json(
            self.read("/api/v1/tenants?limit=100", strong).await,
            StatusCode::OK,
        )
        .await;
        page["tenants"]
            .as_array()
            .expect("tenants")
            .iter()
            .map(|t| t["tenant_id"].as_str().expect("an id").to_owned())
            .collect()
    }

    async fn read(&self, path: &str, strong: bool) -> reqwest::Response {
        let mut request = self
            .app
            .client
            .get(self.app.url(path))
            .bearer_auth(self.app.token(As::Tenant(HSBC)));
        if strong {
            request = request.header("Mtdb-Consistency", "strong");
        }
        request.send().await.expect("GET")
    }
}
