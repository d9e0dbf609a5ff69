//! Latency of the API against a real PostgreSQL, measured in one run so the figures can
//! be compared with each other on a noisy machine: `GET /health` (one catalog query, no
//! transaction, no tenant data) is the floor, `GET /api/v1/tenants/{id}` and a list page
//! are measured beside it.
//!
//! Run with `make bench` (release build, project-local PostgreSQL).

use std::time::{Duration, Instant};

mod support;

use support::Demo;

const HSBC_HK: &str = "00000000-0000-4000-8000-000000000011";
const WARMUP: usize = 200;
const SAMPLES: usize = 2_000;

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let demo = Demo::start().await?;
    let base = demo.base.clone();
    let token = demo.hsbc_token()?;
    let client = reqwest::Client::new();

    let health = measure(&client, &format!("{base}/health"), None).await?;
    let by_id = measure(
        &client,
        &format!("{base}/api/v1/tenants/{HSBC_HK}"),
        Some(&token),
    )
    .await?;
    let list = measure(&client, &format!("{base}/api/v1/tenants"), Some(&token)).await?;

    println!("sequential requests, {SAMPLES} samples each after {WARMUP} warm-up, one client");
    println!(
        "{:<34} {:>9} {:>9} {:>9}",
        "request", "p50 ms", "p99 ms", "p50/health"
    );
    for (name, samples) in [
        ("GET /health (catalog only)", &health),
        ("GET /api/v1/tenants/{id} as HSBC", &by_id),
        ("GET /api/v1/tenants as HSBC", &list),
    ] {
        let (p50, p99) = (percentile(samples, 0.50), percentile(samples, 0.99));
        let ratio = p50.as_secs_f64() / percentile(&health, 0.50).as_secs_f64();
        println!("{name:<34} {:>9.3} {:>9.3} {ratio:>9.2}", ms(p50), ms(p99));
    }
    demo.stop().await;
    Ok(())
}

async fn measure(
    client: &reqwest::Client,
    url: &str,
    token: Option<&str>,
) -> Result<Vec<Duration>, reqwest::Error> {
    let mut samples = Vec::with_capacity(SAMPLES);
    for i in 0..WARMUP + SAMPLES {
        let mut request = client.get(url);
        if let Some(token) = token {
            request = request.bearer_auth(token);
        }
        let started = Instant::now();
        let response = request.send().await?.error_for_status()?;
        response.bytes().await?;
        if i >= WARMUP {
            samples.push(started.elapsed());
        }
    }
    samples.sort();
    Ok(samples)
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    let index = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted.get(index).copied().unwrap_or_default()
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}
