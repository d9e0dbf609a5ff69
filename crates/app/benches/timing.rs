//! The timing oracle: as HSBC, does `GET /api/v1/tenants/{id}` of a tenant that exists but
//! is invisible (Barclays) take longer than `GET` of a random UUID? Both are `404`; if
//! the work behind them differs, a client can tell them apart by the clock.
//!
//! Alternates PAIRS pairs (the order inside each pair alternates too, so neither side
//! always runs on a warmer connection) and prints the median of the per-pair differences
//! and the share of pairs in which the invisible id was the slower one: 50% means no
//! signal. Run with `make bench` (release build, real server, project-local PostgreSQL).

use std::time::{Duration, Instant};

mod support;

use support::Demo;

const BARCLAYS: &str = "00000000-0000-4000-8000-000000000002";
const WARMUP: usize = 100;
const PAIRS: usize = 600;

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let demo = Demo::start().await?;
    let base = format!("{}/api/v1/tenants", demo.base);
    let token = demo.hsbc_token()?;
    let client = reqwest::Client::new();
    let invisible = format!("{base}/{BARCLAYS}");

    let mut differences = Vec::with_capacity(PAIRS);
    for i in 0..WARMUP + PAIRS {
        let missing = format!("{base}/{}", uuid::Uuid::new_v4());
        let (hidden, absent) = if i % 2 == 0 {
            let hidden = timed_404(&client, &invisible, &token).await?;
            (hidden, timed_404(&client, &missing, &token).await?)
        } else {
            let absent = timed_404(&client, &missing, &token).await?;
            (timed_404(&client, &invisible, &token).await?, absent)
        };
        if i >= WARMUP {
            differences.push(hidden.as_secs_f64() - absent.as_secs_f64());
        }
    }
    let slower = differences.iter().filter(|d| **d > 0.0).count();
    differences.sort_by(f64::total_cmp);
    let median = differences
        .get(differences.len() / 2)
        .copied()
        .unwrap_or(0.0);

    println!("as HSBC, {PAIRS} alternating pairs after {WARMUP} warm-up: GET invisible id vs GET random uuid (both 404)");
    println!(
        "median difference (invisible - random): {:+.1} us; invisible slower in {:.1}% of pairs (50% = no signal)",
        median * 1e6,
        100.0 * slower as f64 / PAIRS as f64
    );
    demo.stop().await;
    Ok(())
}

async fn timed_404(
    client: &reqwest::Client,
    url: &str,
    token: &str,
) -> Result<Duration, Box<dyn std::error::Error>> {
    let started = Instant::now();
    let response = client.get(url).bearer_auth(token).send().await?;
    let status = response.status();
    response.bytes().await?;
    let elapsed = started.elapsed();
    if status != reqwest::StatusCode::NOT_FOUND {
        return Err(format!("{url}: expected 404, got {status}").into());
    }
    Ok(elapsed)
}
