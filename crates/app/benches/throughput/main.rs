//! Throughput of the API beside the database's own ceiling, and latency at scale
//! (docs/performance.md, "Throughput"). Run by `make bench` (scripts/bench.sh), which
//! starts the project-local PostgreSQL and installs `wrk` when missing.
//!
//! 1. Loads two fresh databases: 10,000 tenants and `SCALE` (default 100,000; up to
//!    1,000,000 and more), and compares list and GET latency on the two, one client.
//! 2. Against the `SCALE` database, scenario by scenario and at 64 then 256 connections:
//!    the release server under `wrk`, then `pgbench -M prepared` running the same
//!    statements as the same login role, plain and pipelined. Prints req/s, p50, p99,
//!    errors, the ratio of the API to each ceiling and the server's peak RSS.
//!
//! 3. GET by id through PgBouncer, one instance and two, beside direct (pooled.rs).
//!
//! 4. The CPU each request costs the server and PostgreSQL, and the server's context
//!    switches per request, over the 64-connection runs of part 2 (cpu.rs).
//!
//! Environment: `SCALE` (tenants), `BENCH_SECONDS` (per row, default 5), `BENCH_PERF=1`
//! (a `perf` profile of the server under GET load, printed at the end),
//! `BENCH_ONLY=pgbouncer` (the `SCALE` database and part 3 only).

use std::path::PathBuf;

use mtdb_testing::TestDatabase;

mod cpu;
mod load;
mod pgbench_scripts;
mod pooled;
mod profile;
mod scale;
mod server;
mod shape;
mod tools;

use scale::thousands;
use server::Server;
use shape::SECRET;
use tools::{Figures, Pgbench, WorkDir, Wrk};

type Error = Box<dyn std::error::Error + Send + Sync>;

const BASELINE: u64 = 10_000;
/// The ceiling is pgbench at 64 clients at most. More backends than that on a 2-core
/// machine only add contention (and the project-local cluster allows 200).
const PGBENCH_MAX_CLIENTS: u32 = 64;
pub const WARMUP_SECONDS: u64 = 2;

/// One scenario: its name, its wrk script, its pgbench script (none for a small list and
/// `/health`) and how many API requests one pgbench transaction stands for.
const SCENARIOS: [(&str, &str, Option<&str>, f64); 5] = [
    ("GET by id", "get.lua", Some("get"), 1.0),
    ("list limit=100", "list.lua", Some("list"), 1.0),
    ("list of 10", "list_small.lua", None, 1.0),
    (
        "create+delete",
        "create_delete.lua",
        Some("create_delete"),
        2.0,
    ),
    ("/health", "health.lua", None, 1.0),
];

#[tokio::main]
async fn main() -> Result<(), Error> {
    let scale = env_number("SCALE", 100_000)?.max(BASELINE);
    let seconds = env_number("BENCH_SECONDS", 5)?.max(1);
    let dir = WorkDir::create()?;
    let work = dir.0.clone();
    let repo = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..");

    let pooled_only = std::env::var("BENCH_ONLY").is_ok_and(|only| only == "pgbouncer");
    let groups = shape::groups_for(scale);
    let tenants = scale.max(shape::total(groups));
    let db = TestDatabase::create().await;
    let load = load::load(
        db.admin_url(),
        groups,
        shape::standalone_for(tenants, groups),
    )
    .await?;
    println!(
        "loaded {} tenants in {load:.1} s (groups of a parent and {} subsidiaries, {} parents \
         with {} subsidiaries, HSBC with {} more)",
        thousands(tenants),
        shape::SUBSIDIARIES_PER_GROUP,
        shape::LARGE,
        shape::LARGE_SUBSIDIARIES,
        shape::LARGE_SUBSIDIARIES,
    );
    let server = Server::start(db.app_url(), &work.join("server.log")).await?;
    if !pooled_only {
        compare_with_baseline(&work, &server, groups, tenants).await?;
    }

    write_tokens(&work, groups)?;
    pgbench_scripts::write(&work)?;
    let wrk = Wrk {
        lua_dir: repo.join("scripts/bench/wrk"),
        bench_dir: work.clone(),
        groups,
        seconds,
    };
    let pgbench = Pgbench {
        script_dir: work.clone(),
        work_dir: work.clone(),
        app_url: db.app_url().to_owned(),
        groups,
        parents: shape::token_parents(groups),
        seconds,
    };
    if pooled_only {
        pooled::compare(&db, &server, &wrk, &work).await?;
        server.stop().await?;
        db.drop_database().await;
        return Ok(());
    }
    println!(
        "\nthroughput at {} tenants, {seconds} s per row, interleaved: wrk -t2 against the release server \
         (default settings, pid {}), pgbench -M prepared -j2 as the login role (clients in brackets)",
        thousands(tenants),
        server.pid()
    );
    println!(
        "{:<15} {:>5}  {:<23} {:>9} {:>8} {:>8} {:>7} {:>9} {:>9}",
        "scenario",
        "conns",
        "runner",
        "req/s",
        "p50 ms",
        "p99 ms",
        "errors",
        "API/this",
        "peak RSS"
    );
    let mut profiled = None;
    let meter = cpu::Meter::connect(server.pid(), db.app_url()).await?;
    let mut costs = Vec::new();
    for (name, lua, sql, requests) in SCENARIOS {
        for connections in [64_u32, 256] {
            wrk.run_for(&server.base, lua, connections, WARMUP_SECONDS)
                .await?;
            let recording = (profile::wanted() && lua == "get.lua" && connections == 64)
                .then(|| profile::start(server.pid(), seconds, &work))
                .transpose()?;
            let before = meter.read().await?;
            let api = wrk.run(&server.base, lua, connections).await?;
            if connections == 64 {
                costs.push(meter.cost(name, "API", &before, &meter.read().await?, api.requests));
            }
            if let Some(recording) = recording {
                profiled = Some(recording);
            }
            let rss = format!("{} MiB", server.peak_rss_mib());
            row(name, connections, "API (wrk)", &api, "", &rss);
            let Some(sql) = sql else { continue };
            // At 64 connections pgbench runs 64 clients; at 256, as many as the server's
            // database connections (its pool and reserve): the same database work shape.
            let clients = if connections <= PGBENCH_MAX_CLIENTS {
                connections
            } else {
                server_connections()
            };
            for (runner, script) in [
                ("pgbench plain", sql.to_owned()),
                ("pgbench pipelined", format!("{sql}_pipelined")),
            ] {
                let label = format!("{runner} ({clients})");
                let before = meter.read().await?;
                match pgbench.run(&script, clients, requests).await {
                    Ok(ceiling) => {
                        if connections == 64 && runner == "pgbench plain" {
                            let after = meter.read().await?;
                            costs.push(meter.cost(name, runner, &before, &after, ceiling.requests));
                        }
                        let ratio = format!("{:.2}", api.per_second / ceiling.per_second);
                        row("", connections, &label, &ceiling, &ratio, "");
                    }
                    // Said in the table rather than ending the run.
                    Err(e) => println!("{:<15} {connections:>5}  {label:<23} failed: {e}", ""),
                }
            }
        }
    }
    println!(
        "server peak RSS (VmHWM) over the whole run: {} MiB",
        server.peak_rss_mib()
    );
    cpu::print(&costs, 64, seconds);
    pooled::compare(&db, &server, &wrk, &work).await?;
    if let Some(recording) = profiled {
        recording.report().await?;
    }
    server.stop().await?;
    db.drop_database().await;
    Ok(())
}

/// List and GET latency on a fresh 10,000-tenant database against `server`'s.
async fn compare_with_baseline(
    work: &std::path::Path,
    server: &Server,
    groups: u64,
    tenants: u64,
) -> Result<(), Error> {
    let small_groups = shape::groups_for(BASELINE);
    let small_tenants = BASELINE.max(shape::total(small_groups));
    let small_db = TestDatabase::create().await;
    let standalone = shape::standalone_for(small_tenants, small_groups);
    let load = load::load(small_db.admin_url(), small_groups, standalone).await?;
    println!("loaded {} tenants in {load:.1} s", thousands(small_tenants));
    let small_server = Server::start(small_db.app_url(), &work.join("server-small.log")).await?;
    scale::compare(
        &scale::Side {
            base: &small_server.base,
            groups: small_groups,
            tenants: small_tenants,
        },
        &scale::Side {
            base: &server.base,
            groups,
            tenants,
        },
    )
    .await?;
    small_server.stop().await?;
    small_db.drop_database().await;
    Ok(())
}

pub fn row(name: &str, connections: u32, runner: &str, f: &Figures, ratio: &str, rss: &str) {
    let errors = if f.non_2xx > 0 {
        format!("{}+{}", f.errors, f.non_2xx)
    } else {
        f.errors.to_string()
    };
    println!(
        "{name:<15} {connections:>5}  {runner:<23} {:>9} {:>8.2} {:>8.2} {errors:>7} {ratio:>9} {rss:>9}",
        thousands(f.per_second.round() as u64),
        f.p50_ms,
        f.p99_ms,
    );
}

/// The tokens the wrk scripts read: `parents.lua` for the group parents that hold tokens
/// (in the order of shape::token_group), `large.lua` for the large parents.
fn write_tokens(dir: &std::path::Path, groups: u64) -> Result<(), Error> {
    let lua = |ids: Vec<String>| -> Result<String, Error> {
        let mut out = String::from("return {\n");
        for id in ids {
            out.push_str(&format!("  \"{}\",\n", shape::token(shape::tenant(&id)?)?));
        }
        out.push_str("}\n");
        Ok(out)
    };
    let parents = (0..shape::token_parents(groups))
        .map(|i| shape::id(shape::group_parent(shape::token_group(i, groups))))
        .collect();
    let large = (0..shape::LARGE)
        .map(|p| shape::id(shape::large_parent(p)))
        .collect();
    std::fs::write(dir.join("parents.lua"), lua(parents)?)?;
    std::fs::write(dir.join("large.lua"), lua(large)?)?;
    Ok(())
}

/// The server's default pool (4 per core, 4 to 32) and reserve (4): see crates/app's
/// config and docs/api.md.
fn server_connections() -> u32 {
    let cores = std::thread::available_parallelism().map_or(2, |n| n.get());
    let pool = (cores * 4).clamp(4, 32);
    u32::try_from(pool + 4).unwrap_or(u32::MAX)
}

fn env_number(key: &str, default: u64) -> Result<u64, Error> {
    match std::env::var(key) {
        Ok(value) if !value.trim().is_empty() => value
            .trim()
            .replace(['_', ','], "")
            .parse()
            .map_err(|_| format!("{key} must be a number, got {value:?}").into()),
        _ => Ok(default),
    }
}
