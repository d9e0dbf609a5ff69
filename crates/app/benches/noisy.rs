//! Noisy neighbours (docs/fairness.md, docs/performance.md): one organization (HSBC with
//! 1,000 subsidiaries of about 64 KiB of metadata each) lists them with 24 clients,
//! `limit=1000`, while another (Barclays) reads one tenant in a loop. Prints Barclays'
//! latency and errors alone and during the flood, the flood's own figures, and the peak
//! RSS (`VmHWM`) of the server, which runs as a child process so that this load
//! generator's memory is not counted.
//!
//! Run with `make bench` (release build, project-local PostgreSQL).

use std::process::Stdio;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use mtdb_domain::{Principal, TenantId};
use mtdb_postgres::testing::TestDatabase;
use serde_json::Value;
use tokio::io::{AsyncBufReadExt, BufReader};
use tokio::process::Command;
use tokio_postgres::NoTls;

type Error = Box<dyn std::error::Error + Send + Sync>;

const SECRET: &str = "a-benchmark-secret-of-at-least-32-bytes!";
const HSBC: &str = "00000000-0000-4000-8000-000000000001";
const BARCLAYS: &str = "00000000-0000-4000-8000-000000000002";
const BARCLAYS_UK: &str = "00000000-0000-4000-8000-000000000021";
const SUBSIDIARIES: i32 = 1_000;
const FLOOD_CLIENTS: usize = 24;
const VICTIM_CLIENTS: usize = 2;
const MEASURE: Duration = Duration::from_secs(20);
const RAMP_UP: Duration = Duration::from_secs(3);
const REQUEST_TIMEOUT: Duration = Duration::from_secs(30);

#[tokio::main]
async fn main() -> Result<(), Error> {
    let db = TestDatabase::create().await;
    mtdb_postgres::seed_demo(db.admin_url()).await?;
    let bytes = add_heavy_subsidiaries(db.admin_url()).await?;
    println!("noisy organization: HSBC + {SUBSIDIARIES} subsidiaries, {bytes} bytes of metadata");

    let (mut server, base) = start_server(db.app_url()).await?;
    let pid = server.id().ok_or("the server has no pid")?;
    let victim = Client::new(&base, BARCLAYS, &format!("/api/v1/tenants/{BARCLAYS_UK}"))?;
    let noisy = Client::new(&base, HSBC, "/api/v1/tenants?limit=1000")?;

    let alone = victims(&victim, MEASURE / 2).await;
    report("Barclays GET, alone", &alone);

    let stop = Arc::new(AtomicBool::new(false));
    let flood = Flood::default();
    let workers: Vec<_> = (0..FLOOD_CLIENTS)
        .map(|_| tokio::spawn(flood.clone().run(noisy.clone(), stop.clone())))
        .collect();
    tokio::time::sleep(RAMP_UP).await;
    let during = victims(&victim, MEASURE).await;
    stop.store(true, Ordering::Relaxed);
    for worker in workers {
        worker.await?;
    }
    report(
        &format!("Barclays GET, during HSBC's flood of {FLOOD_CLIENTS} lists"),
        &during,
    );
    flood.report(MEASURE + RAMP_UP);
    let status = std::fs::read_to_string(format!("/proc/{pid}/status"))?;
    println!(
        "server memory: peak RSS (VmHWM) {} MiB, RSS after the flood (VmRSS) {} MiB",
        kib(&status, "VmHWM:") / 1024,
        kib(&status, "VmRSS:") / 1024
    );
    server.start_kill()?;
    server.wait().await?;
    db.drop_database().await;
    Ok(())
}

/// 1,000 subsidiaries of HSBC with 900 fields of 56 characters each, as the admin.
async fn add_heavy_subsidiaries(admin_url: &str) -> Result<i64, Error> {
    let (mut client, connection) = tokio_postgres::connect(admin_url, NoTls).await?;
    tokio::spawn(connection);
    let tx = client.transaction().await?;
    tx.batch_execute("select set_config('role', 'mtdb_platform_admin', true)")
        .await?;
    tx.execute(
        "insert into tenants (name, parent_tenant_id, tenant_type, metadata) \
         select 'HSBC unit ' || g, $1::text::uuid, 'subsidiary', \
                (select jsonb_object_agg('k' || i, repeat('v', 56)) \
                 from generate_series(1, 900) i) \
         from generate_series(1, $2) g",
        &[&HSBC, &SUBSIDIARIES],
    )
    .await?;
    let row = tx
        .query_one(
            "select sum(length(metadata::text))::bigint from tenants",
            &[],
        )
        .await?;
    tx.commit().await?;
    Ok(row.get(0))
}

/// `mtdb serve` (this build's release binary) on a port it picks; its log is drained.
async fn start_server(app_url: &str) -> Result<(tokio::process::Child, String), Error> {
    let mut server = Command::new(env!("CARGO_BIN_EXE_mtdb"))
        .arg("serve")
        .env("DATABASE_URL", app_url)
        .env("MTDB_LISTEN", "127.0.0.1:0")
        .env("MTDB_JWT_SECRET", SECRET)
        .env("MTDB_LOG_FORMAT", "json")
        .env("RUST_LOG", "info")
        .env_remove("MTDB_METRICS_LISTEN")
        .env_remove("MTDB_DB_POOL_SIZE")
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .kill_on_drop(true)
        .spawn()?;
    let mut log = BufReader::new(server.stderr.take().ok_or("no stderr")?).lines();
    let port = loop {
        let line = log.next_line().await?.ok_or("the server exited")?;
        if let Ok(entry) = serde_json::from_str::<Value>(&line) {
            if entry["message"] == "mtdb is listening" {
                break entry["port"].clone();
            }
        }
    };
    tokio::spawn(async move { while let Ok(Some(_)) = log.next_line().await {} });
    Ok((server, format!("http://127.0.0.1:{port}")))
}

#[derive(Clone)]
struct Client {
    http: reqwest::Client,
    url: String,
    token: String,
}

impl Client {
    fn new(base: &str, tenant: &str, path: &str) -> Result<Self, Error> {
        let principal = Principal::Tenant(tenant.parse::<TenantId>()?);
        let day = Duration::from_secs(86_400);
        let token =
            mtdb_http::issue_hs256_token(SECRET.as_bytes(), principal, "bench", day, None, None)?;
        let http = reqwest::Client::builder()
            .timeout(REQUEST_TIMEOUT)
            .build()?;
        Ok(Self {
            http,
            url: format!("{base}{path}"),
            token,
        })
    }

    /// One request, its body read and dropped as it comes: `(status, bytes)` or `None`
    /// for a transport failure.
    async fn fetch(&self) -> Option<(u16, u64)> {
        let mut response = self
            .http
            .get(&self.url)
            .bearer_auth(&self.token)
            .send()
            .await
            .ok()?;
        let status = response.status().as_u16();
        let mut bytes = 0;
        while let Some(chunk) = response.chunk().await.ok()? {
            bytes += chunk.len() as u64;
        }
        Some((status, bytes))
    }
}

/// Latencies of successful requests, and how many failed.
#[derive(Default)]
struct Samples {
    latencies: Vec<Duration>,
    errors: u64,
}

async fn victims(client: &Client, duration: Duration) -> Samples {
    let runs = (0..VICTIM_CLIENTS).map(|_| async {
        let mut samples = Samples::default();
        let end = Instant::now() + duration;
        while Instant::now() < end {
            let started = Instant::now();
            match client.fetch().await {
                Some((200, _)) => samples.latencies.push(started.elapsed()),
                _ => samples.errors += 1,
            }
        }
        samples
    });
    let mut all = Samples::default();
    for samples in futures::future::join_all(runs).await {
        all.latencies.extend(samples.latencies);
        all.errors += samples.errors;
    }
    all.latencies.sort();
    all
}

fn report(name: &str, samples: &Samples) {
    let at = |p: f64| {
        let index = ((samples.latencies.len() as f64 - 1.0) * p).round() as usize;
        samples
            .latencies
            .get(index)
            .map_or(f64::NAN, |d| d.as_secs_f64() * 1000.0)
    };
    println!(
        "{name}: {} requests, p50 {:.2} ms, p99 {:.2} ms, max {:.2} ms, errors {}",
        samples.latencies.len(),
        at(0.50),
        at(0.99),
        at(1.0),
        samples.errors
    );
}

/// What the flooding organization got.
#[derive(Clone, Default)]
struct Flood {
    pages: Arc<AtomicU64>,
    bytes: Arc<AtomicU64>,
    refused: Arc<AtomicU64>,
    unavailable: Arc<AtomicU64>,
    failed: Arc<AtomicU64>,
}

impl Flood {
    async fn run(self, client: Client, stop: Arc<AtomicBool>) {
        while !stop.load(Ordering::Relaxed) {
            match client.fetch().await {
                Some((200, bytes)) => {
                    self.pages.fetch_add(1, Ordering::Relaxed);
                    self.bytes.fetch_add(bytes, Ordering::Relaxed);
                }
                Some((429, _)) => {
                    self.refused.fetch_add(1, Ordering::Relaxed);
                }
                Some((503, _)) => {
                    self.unavailable.fetch_add(1, Ordering::Relaxed);
                }
                _ => {
                    self.failed.fetch_add(1, Ordering::Relaxed);
                }
            }
        }
    }

    fn report(&self, over: Duration) {
        let mib = self.bytes.load(Ordering::Relaxed) as f64 / (1024.0 * 1024.0);
        println!(
            "HSBC flood: {} pages of limit=1000 ({:.0} MiB, {:.1} MiB/s), {} refused (429), {} waited past the pool timeout (503), {} other failures",
            self.pages.load(Ordering::Relaxed),
            mib,
            mib / over.as_secs_f64(),
            self.refused.load(Ordering::Relaxed),
            self.unavailable.load(Ordering::Relaxed),
            self.failed.load(Ordering::Relaxed)
        );
    }
}

fn kib(status: &str, field: &str) -> u64 {
    status
        .lines()
        .find_map(|line| line.strip_prefix(field))
        .and_then(|rest| rest.trim().trim_end_matches("kB").trim().parse().ok())
        .unwrap_or(0)
}
