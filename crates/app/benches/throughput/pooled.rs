//! The PgBouncer row of `make bench` (docs/scaling.md): GET by id through PgBouncer in
//! transaction mode, one instance and then two, beside the same GET straight to
//! PostgreSQL, in the same run and with the same wrk settings as the direct row (wrk -t2,
//! 64 connections, `BENCH_SECONDS`). Two instances share the 64 connections, 32 each, run
//! at once; their req/s add up. On one machine they share its cores with PgBouncer and
//! PostgreSQL: the figure is the pooler's cost, not the gain of a second machine. A row
//! straight to PostgreSQL with unnamed statements (`MTDB_DB_STATEMENTS=unnamed`, what
//! `auto` picks behind the pooler) splits that cost into the statements' and the hop's.

use std::path::Path;

use mtdb_testing::{PgBouncer, PgBouncerSettings, TestDatabase};

use crate::server::Server;
use crate::tools::{Figures, Wrk};
use crate::{row, Error, WARMUP_SECONDS};

/// PgBouncer's server connections: fewer than the 2 x 12 that two instances' pools (the
/// default on 2 cores: 8 and a reserve of 4) may open through it.
const SERVER_POOL: usize = 8;
const CONNECTIONS: u32 = 64;
const SCRIPT: &str = "get.lua";

pub async fn compare(
    db: &TestDatabase,
    direct: &Server,
    wrk: &Wrk,
    work: &Path,
) -> Result<(), Error> {
    let settings = PgBouncerSettings::transaction(&[db.app_url()], SERVER_POOL);
    let bouncer = tokio::task::spawn_blocking(move || PgBouncer::start(&settings)).await?;
    let pooled_url = bouncer.url_for(db.app_url());
    let first = Server::start(&pooled_url, &work.join("server-pooled-1.log")).await?;
    println!(
        "\nGET by id through PgBouncer {} (pool_mode = transaction, default_pool_size = \
         {SERVER_POOL}) against direct, wrk -t2, {CONNECTIONS} connections in all, \
         interleaved in this run",
        pgbouncer_version()
    );
    println!(
        "{:<15} {:>5}  {:<23} {:>9} {:>8} {:>8} {:>7} {:>9}",
        "scenario", "conns", "runner", "req/s", "p50 ms", "p99 ms", "errors", "/direct"
    );
    wrk.run_for(&direct.base, SCRIPT, CONNECTIONS, WARMUP_SECONDS)
        .await?;
    let baseline = wrk.run(&direct.base, SCRIPT, CONNECTIONS).await?;
    row(
        "GET by id",
        CONNECTIONS,
        "direct, 1 instance",
        &baseline,
        "1.00",
        "",
    );

    // What the unnamed statements cost without the pooler: the rest is the hop.
    let unnamed = [("MTDB_DB_STATEMENTS", "unnamed")];
    let log = work.join("server-unnamed.log");
    let direct_unnamed = Server::start_with(db.app_url(), &log, &unnamed).await?;
    wrk.run_for(&direct_unnamed.base, SCRIPT, CONNECTIONS, WARMUP_SECONDS)
        .await?;
    let figures = wrk.run(&direct_unnamed.base, SCRIPT, CONNECTIONS).await?;
    let ratio_unnamed = ratio(&figures, &baseline);
    row(
        "",
        CONNECTIONS,
        "direct, unnamed stmts",
        &figures,
        &ratio_unnamed,
        "",
    );
    direct_unnamed.stop().await?;

    wrk.run_for(&first.base, SCRIPT, CONNECTIONS, WARMUP_SECONDS)
        .await?;
    let one = wrk.run(&first.base, SCRIPT, CONNECTIONS).await?;
    row(
        "",
        CONNECTIONS,
        "PgBouncer, 1 instance",
        &one,
        &ratio(&one, &baseline),
        "",
    );

    let second = Server::start(&pooled_url, &work.join("server-pooled-2.log")).await?;
    let half = CONNECTIONS / 2;
    wrk.run_for(&second.base, SCRIPT, half, WARMUP_SECONDS)
        .await?;
    let (a, b) = tokio::try_join!(
        wrk.run(&first.base, SCRIPT, half),
        wrk.run(&second.base, SCRIPT, half)
    )?;
    let both = Figures {
        per_second: a.per_second + b.per_second,
        requests: a.requests + b.requests,
        // The slower instance's percentiles stand for the pair.
        p50_ms: a.p50_ms.max(b.p50_ms),
        p99_ms: a.p99_ms.max(b.p99_ms),
        errors: a.errors + b.errors,
        non_2xx: a.non_2xx + b.non_2xx,
    };
    row(
        "",
        CONNECTIONS,
        "PgBouncer, 2 instances",
        &both,
        &ratio(&both, &baseline),
        "",
    );
    for (n, figures) in [(1, &a), (2, &b)] {
        let runner = format!("  instance {n} of 2");
        row("", half, &runner, figures, &ratio(figures, &baseline), "");
    }
    second.stop().await?;
    first.stop().await?;
    drop(bouncer);
    Ok(())
}

fn ratio(this: &Figures, direct: &Figures) -> String {
    format!("{:.2}", this.per_second / direct.per_second)
}

/// The version `pgbouncer --version` prints, e.g. "1.18.0"; empty when it cannot say.
fn pgbouncer_version() -> String {
    ["/usr/sbin/pgbouncer", "pgbouncer"]
        .iter()
        .find_map(|binary| {
            std::process::Command::new(binary)
                .arg("--version")
                .output()
                .ok()
        })
        .and_then(|out| {
            String::from_utf8_lossy(&out.stdout)
                .split_whitespace()
                .nth(1)
                .map(str::to_owned)
        })
        .unwrap_or_default()
}
