//! Latency at `SCALE` tenants against 10,000, in the same run: one client, sequential
//! requests, alternating between the two servers request by request so that the machine's
//! noise falls on both alike. Lists are checked for an exact `total_count`.

use std::time::{Duration, Instant};

use mtdb_domain::Principal;
use serde_json::Value;

use crate::shape;
use crate::tools::percentile;
use crate::Error;

const WARMUP: usize = 50;
const SAMPLES: usize = 1_000;
/// A row stops early after this long (the admin's page at a million tenants takes a good
/// part of a second): fewer samples, said in the output.
const ROW_BUDGET: Duration = Duration::from_secs(60);
const MIN_SAMPLES: usize = 100;

/// One side of the comparison: a server over a database of `groups` groups.
pub struct Side<'a> {
    pub base: &'a str,
    pub groups: u64,
    pub tenants: u64,
}

pub async fn compare(small: &Side<'_>, large: &Side<'_>) -> Result<(), Error> {
    let http = reqwest::Client::new();
    let admin = shape::token(Principal::PlatformAdmin)?;
    let hsbc = shape::token(shape::tenant(shape::HSBC)?)?;
    let get_small = ParentReads::new(small.groups)?;
    let get_large = ParentReads::new(large.groups)?;
    println!(
        "\nlatency at {} tenants against {} (sequential, one client, {SAMPLES} samples each after {WARMUP} warm-up, the two alternating; fewer past {} s a row)",
        thousands(large.tenants),
        thousands(small.tenants),
        ROW_BUDGET.as_secs()
    );
    println!(
        "{:<56} {:>18} {:>18} {:>10} {:>10}",
        "request",
        format!("{} p50/p99 ms", short(small.tenants)),
        format!("{} p50/p99 ms", short(large.tenants)),
        "p50 ratio",
        "p99 ratio"
    );
    let mut rows: Vec<(String, [Vec<Duration>; 2])> = Vec::new();
    let (a, b) = alternate(|side, i| {
        let (base, reads) = if side == 0 {
            (small.base, &get_small)
        } else {
            (large.base, &get_large)
        };
        let (url, token) = reads.pick(base, i);
        let http = http.clone();
        async move { timed(&http, &url, &token).await.map(|(d, _)| d) }
    })
    .await?;
    rows.push(("GET /api/v1/tenants/{id} as a parent".into(), [a, b]));
    for (name, token, expected) in [
        (
            "GET /api/v1/tenants?limit=100 as HSBC",
            &hsbc,
            [hsbc_total(), hsbc_total()],
        ),
        (
            "GET /api/v1/tenants?limit=100 as the admin",
            &admin,
            [small.tenants, large.tenants],
        ),
    ] {
        for (side, base) in [small.base, large.base].into_iter().enumerate() {
            let (_, total) =
                timed(&http, &format!("{base}/api/v1/tenants?limit=100"), token).await?;
            let exact = if total == Some(expected[side]) {
                "exact"
            } else {
                "WRONG"
            };
            println!(
                "  {name}: total_count {} ({exact}, expected {})",
                total.map_or("none".into(), thousands),
                thousands(expected[side])
            );
        }
        let (a, b) = alternate(|side, _| {
            let base = if side == 0 { small.base } else { large.base };
            let url = format!("{base}/api/v1/tenants?limit=100");
            let (http, token) = (http.clone(), token.clone());
            async move { timed(&http, &url, &token).await.map(|(d, _)| d) }
        })
        .await?;
        rows.push((name.into(), [a, b]));
    }
    for (name, [a, b]) in &rows {
        let (a50, a99) = (percentile(a, 0.50), percentile(a, 0.99));
        let (b50, b99) = (percentile(b, 0.50), percentile(b, 0.99));
        let name = if a.len() < SAMPLES {
            format!("{name} ({} samples)", a.len())
        } else {
            name.clone()
        };
        println!(
            "{name:<56} {:>18} {:>18} {:>10.2} {:>10.2}",
            format!("{:.3} / {:.3}", ms(a50), ms(a99)),
            format!("{:.3} / {:.3}", ms(b50), ms(b99)),
            b50.as_secs_f64() / a50.as_secs_f64(),
            b99.as_secs_f64() / a99.as_secs_f64()
        );
    }
    Ok(())
}

/// HSBC's page: itself, its two demo subsidiaries and the loaded ones.
fn hsbc_total() -> u64 {
    3 + shape::LARGE_SUBSIDIARIES
}

/// Random subsidiaries of the parents that hold tokens, with those tokens.
struct ParentReads {
    groups: u64,
    tokens: Vec<String>,
}

impl ParentReads {
    fn new(groups: u64) -> Result<Self, Error> {
        let tokens = (0..shape::token_parents(groups))
            .map(|i| {
                let parent = shape::id(shape::group_parent(shape::token_group(i, groups)));
                shape::token(shape::tenant(&parent)?)
            })
            .collect::<Result<_, _>>()?;
        Ok(Self { groups, tokens })
    }

    /// Request `i`'s URL and token: a fixed pseudo-random sequence, the same on both sides.
    fn pick(&self, base: &str, i: usize) -> (String, String) {
        let spread = (i as u64).wrapping_mul(2_654_435_761);
        let parent = spread % self.tokens.len() as u64;
        let n = shape::group_parent(shape::token_group(parent, self.groups)) + 1 + spread % 9;
        (
            format!("{base}/api/v1/tenants/{}", shape::id(n)),
            self.tokens[parent as usize].clone(),
        )
    }
}

/// Runs `request(side, i)` for both sides in turn, warm-up first; the sorted samples.
async fn alternate<F, Fut>(mut request: F) -> Result<(Vec<Duration>, Vec<Duration>), Error>
where
    F: FnMut(usize, usize) -> Fut,
    Fut: std::future::Future<Output = Result<Duration, Error>>,
{
    let (mut a, mut b) = (Vec::with_capacity(SAMPLES), Vec::with_capacity(SAMPLES));
    let started = Instant::now();
    for i in 0..WARMUP + SAMPLES {
        if a.len() >= MIN_SAMPLES && started.elapsed() > ROW_BUDGET {
            break;
        }
        // The order inside a pair alternates too.
        let order = if i % 2 == 0 { [0, 1] } else { [1, 0] };
        for side in order {
            let elapsed = request(side, i).await?;
            if i >= WARMUP {
                if side == 0 { &mut a } else { &mut b }.push(elapsed);
            }
        }
    }
    a.sort_unstable();
    b.sort_unstable();
    Ok((a, b))
}

/// One request whose answer must be `200`, read whole; its time and its `total_count`.
async fn timed(
    http: &reqwest::Client,
    url: &str,
    token: &str,
) -> Result<(Duration, Option<u64>), Error> {
    let started = Instant::now();
    let response = http.get(url).bearer_auth(token).send().await?;
    let status = response.status();
    let body = response.bytes().await?;
    let elapsed = started.elapsed();
    if !status.is_success() {
        return Err(format!("{url}: {status}").into());
    }
    let total = serde_json::from_slice::<Value>(&body)
        .ok()
        .and_then(|v| v["total_count"].as_u64());
    Ok((elapsed, total))
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

pub fn thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

fn short(n: u64) -> String {
    if n >= 1_000_000 && n % 1_000_000 < 100_000 {
        format!("{}M", n / 1_000_000)
    } else if n >= 1_000 {
        format!("{}k", n / 1_000)
    } else {
        n.to_string()
    }
}
