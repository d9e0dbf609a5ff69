//! What one request costs, read around a wrk run: the server's own user and system time
//! (every thread, `/proc/<pid>/stat`), PostgreSQL's (every process of the cluster, plus
//! what the postmaster collected from backends that exited during the run, so that a
//! backend forked and gone is still counted) and the server's context switches, summed over
//! `/proc/<pid>/task/*/status` in two columns: `waits` (voluntary: a thread that had
//! nothing to do, or waited for another) and `preempted` (involuntary: the scheduler gave
//! the core to another process, as a woken wrk or backend), each divided by the requests wrk
//! completed; and the sessions the database saw opened during the run
//! (`pg_stat_database.sessions`: a pooled connection closed and opened again is a backend
//! forked and authenticated). CPU time per request is what a shared machine measures
//! stably, where req/s moves with whatever else runs. No root needed: `/proc/<pid>/stat`
//! and `status` are readable by every user. PostgreSQL's column is `n/a` when the cluster
//! is not on this machine.

use std::path::Path;

use mtdb_testing::procfs::{self, stat};

use crate::Error;

/// Where the counters are read.
pub struct Meter {
    server: u32,
    postmaster: Option<u32>,
    /// A session of its own on the bench's database, for its statistics.
    client: tokio_postgres::Client,
    /// Microseconds per clock tick (`getconf CLK_TCK`, 100 on Linux).
    tick_us: f64,
}

/// The counters at one instant.
pub struct Reading {
    server_ticks: u64,
    switches: Switches,
    threads: usize,
    cluster_ticks: Option<u64>,
    sessions: i64,
}

/// One scenario's cost per request.
pub struct Cost {
    pub scenario: &'static str,
    /// `API` (wrk through mtdb) or the pgbench runner of the same statements.
    pub runner: &'static str,
    pub server_us: f64,
    pub cluster_us: Option<f64>,
    /// Voluntary switches per request.
    pub waits: f64,
    /// Involuntary switches per request.
    pub preempted: f64,
    pub threads: usize,
    /// Sessions opened on the database during the run.
    pub sessions: i64,
}

impl Meter {
    /// Reads `server`'s counters and those of the cluster serving `url` (when it runs on
    /// this machine: the postmaster is the parent of the backend serving this meter).
    pub async fn connect(server: u32, url: &str) -> Result<Self, Error> {
        let (client, connection) = tokio_postgres::connect(url, tokio_postgres::NoTls).await?;
        tokio::spawn(connection);
        let backend: i32 = client
            .query_one("select pg_backend_pid()", &[])
            .await?
            .get(0);
        let postmaster = u32::try_from(backend)
            .ok()
            .and_then(stat)
            .map(|backend| backend.ppid)
            .filter(|&ppid| ppid > 1);
        let tick_us = std::process::Command::new("getconf")
            .arg("CLK_TCK")
            .output()
            .ok()
            .and_then(|out| {
                String::from_utf8_lossy(&out.stdout)
                    .trim()
                    .parse::<f64>()
                    .ok()
            })
            .map_or(10_000.0, |hz| 1e6 / hz);
        Ok(Self {
            server,
            postmaster,
            client,
            tick_us,
        })
    }

    pub async fn read(&self) -> Result<Reading, Error> {
        // Statistics are flushed by each backend at most a second late: the count of
        // sessions is exact over a run of several seconds to within a second's worth.
        let sessions: i64 = self
            .client
            .query_one(
                "select sessions from pg_stat_database where datname = current_database()",
                &[],
            )
            .await?
            .get(0);
        let server = stat(self.server);
        let (switches, threads) = switches(self.server);
        Ok(Reading {
            server_ticks: server.map_or(0, |s| s.utime + s.stime),
            switches,
            threads,
            cluster_ticks: self.postmaster.map(cluster_ticks),
            sessions,
        })
    }

    /// The cost per request between two readings that `requests` requests separate.
    pub fn cost(
        &self,
        scenario: &'static str,
        runner: &'static str,
        before: &Reading,
        after: &Reading,
        requests: f64,
    ) -> Cost {
        let per_request = |ticks: u64| ticks as f64 * self.tick_us / requests.max(1.0);
        let per_count =
            |after: u64, before: u64| after.saturating_sub(before) as f64 / requests.max(1.0);
        Cost {
            scenario,
            runner,
            server_us: per_request(after.server_ticks.saturating_sub(before.server_ticks)),
            cluster_us: after
                .cluster_ticks
                .zip(before.cluster_ticks)
                .map(|(a, b)| per_request(a.saturating_sub(b))),
            waits: per_count(after.switches.voluntary, before.switches.voluntary),
            preempted: per_count(after.switches.involuntary, before.switches.involuntary),
            threads: after.threads,
            sessions: after.sessions - before.sessions,
        }
    }
}

pub fn print(costs: &[Cost], connections: u32, seconds: u64) {
    println!(
        "\nCPU per request at {connections} connections, {seconds} s each, from /proc \
         (user+system time over the run / requests completed; pgbench runs the same \
         statements as the login role, the server idle):"
    );
    println!(
        "{:<15} {:<14} {:>9} {:>14} {:>6} {:>10} {:>8} {:>13}",
        "scenario",
        "runner",
        "mtdb us",
        "PostgreSQL us",
        "waits",
        "preempted",
        "threads",
        "new sessions"
    );
    for cost in costs {
        let cluster = cost
            .cluster_us
            .map_or("n/a".to_owned(), |us| format!("{us:.1}"));
        let [server, waits, preempted, threads] = if cost.runner == "API" {
            [
                format!("{:.1}", cost.server_us),
                format!("{:.2}", cost.waits),
                format!("{:.2}", cost.preempted),
                cost.threads.to_string(),
            ]
        } else {
            ["-"; 4].map(str::to_owned)
        };
        println!(
            "{:<15} {:<14} {server:>9} {cluster:>14} {waits:>6} {preempted:>10} {threads:>8} {:>13}",
            cost.scenario, cost.runner, cost.sessions
        );
    }
}

/// The postmaster's own time and its exited children's, plus every living child's.
fn cluster_ticks(postmaster: u32) -> u64 {
    let own = stat(postmaster).map_or(0, |s| s.utime + s.stime + s.cutime + s.cstime);
    let children: u64 = procfs::children(postmaster)
        .iter()
        .map(|(_, s)| s.utime + s.stime)
        .sum();
    own + children
}

/// A process's context switches, summed over its threads.
#[derive(Default)]
struct Switches {
    voluntary: u64,
    involuntary: u64,
}

/// Context switches summed over the process's threads, and how many threads it has.
fn switches(pid: u32) -> (Switches, usize) {
    let tasks = Path::new("/proc").join(pid.to_string()).join("task");
    let mut total = Switches::default();
    let mut threads = 0;
    for task in std::fs::read_dir(tasks).into_iter().flatten().flatten() {
        let Ok(status) = std::fs::read_to_string(task.path().join("status")) else {
            continue;
        };
        threads += 1;
        for line in status.lines() {
            let Some((key, value)) = line.split_once(':') else {
                continue;
            };
            let count = value.trim().parse::<u64>().unwrap_or(0);
            match key {
                "voluntary_ctxt_switches" => total.voluntary += count,
                "nonvoluntary_ctxt_switches" => total.involuntary += count,
                _ => {}
            }
        }
    }
    (total, threads)
}
