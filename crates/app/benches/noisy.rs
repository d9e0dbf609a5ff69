//! Noisy neighbours (docs/fairness.md, docs/performance.md): one organization (HSBC with
//! 1,000 subsidiaries of about 64 KiB of metadata each) lists them with 24 clients,
//! `limit=1000`, while another (Barclays) reads one tenant in a loop. Prints Barclays'
//! latency and errors alone and during the flood, the flood's own figures, and the peak
//! RSS (`VmHWM`) of the server, which runs as a child process so that this load
//! generator's memory is not counted; then whether docs/fairness.md's promise held. It
//! says so rather than failing: on a shared machine a single run can miss by noise.
//!
//! Run with `make bench` (release build, project-local PostgreSQL).

use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use mtdb_domain::{Principal, TenantId};
use mtdb_testing::TestDatabase;
use tokio_postgres::NoTls;

#[path = "throughput/server.rs"]
mod server;

use server::Server;

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
/// What docs/fairness.md promises the other organization, and the server's memory.
const PROMISED_P99_MS: f64 = 100.0;
const PROMISED_PEAK_MIB: u64 = 256;

#[tokio::main]
async fn main() -> Result<(), Error> {
    let db = TestDatabase::create().await;
    mtdb_postgres_admin::seed_demo(db.admin_url()).await?;
    let bytes = add_heavy_subsidiaries(db.admin_url()).await?;
    println!("noisy organization: HSBC + {SUBSIDIARIES} subsidiaries, {bytes} bytes of metadata");

    let log = std::env::temp_dir().join(format!("mtdb-noisy-{}.log", std::process::id()));
    let server = Server::start(db.app_url(), &log).await?;
    let base = server.base.clone();
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
    let p99 = report(
        &format!("Barclays GET, during HSBC's flood of {FLOOD_CLIENTS} lists"),
        &during,
    );
    flood.report(MEASURE + RAMP_UP);
    let status = std::fs::read_to_string(format!("/proc/{}/status", server.pid()))?;
    let peak = server.peak_rss_mib();
    println!(
        "server memory: peak RSS (VmHWM) {peak} MiB, RSS after the flood (VmRSS) {} MiB",
        kib(&status, "VmRSS:") / 1024
    );
    let held = p99 < PROMISED_P99_MS && during.errors == 0 && peak < PROMISED_PEAK_MIB;
    println!(
        "the promise of docs/fairness.md (during the flood Barclays' p99 under \
         {PROMISED_P99_MS} ms and no error, peak RSS under {PROMISED_PEAK_MIB} MiB): {}",
        if held { "held" } else { "NOT HELD" }
    );
    server.stop().await?;
    let _ = std::fs::remove_file(&log);
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

/// Prints the samples' figures; returns their p99 in milliseconds.
fn report(name: &str, samples: &Samples) -> f64 {
    let at = |p: f64| {
        let index = ((samples.latencies.len() as f64 - 1.0) * p).round() as usize;
        samples
            .latencies
            .get(index)
            .map_or(f64::NAN, |d| d.as_secs_f64() * 1000.0)
    };
    let p99 = at(0.99);
    println!(
        "{name}: {} requests, p50 {:.2} ms, p99 {p99:.2} ms, max {:.2} ms, errors {}",
        samples.latencies.len(),
        at(0.50),
        at(1.0),
        samples.errors
    );
    p99
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
