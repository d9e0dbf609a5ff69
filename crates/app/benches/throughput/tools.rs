//! The two load generators, run as processes: `wrk` against the API and `pgbench -M
//! prepared` against PostgreSQL as the application login role. Each run's figures.

use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::time::Duration;

use tokio::process::Command;

use crate::Error;

/// What one run measured.
#[derive(Debug, Clone, Copy, Default)]
pub struct Figures {
    /// Requests per second (pgbench: transactions per second times requests per script).
    pub per_second: f64,
    /// Requests completed (pgbench: transactions times requests per script).
    pub requests: f64,
    pub p50_ms: f64,
    pub p99_ms: f64,
    /// Transport errors and timeouts (wrk), failed transactions (pgbench).
    pub errors: u64,
    /// Answers other than 2xx/3xx (wrk only).
    pub non_2xx: u64,
}

pub struct Wrk {
    pub lua_dir: PathBuf,
    pub bench_dir: PathBuf,
    pub groups: u64,
    pub seconds: u64,
}

impl Wrk {
    pub async fn run(&self, base: &str, script: &str, connections: u32) -> Result<Figures, Error> {
        self.run_for(base, script, connections, self.seconds).await
    }

    pub async fn run_for(
        &self,
        base: &str,
        script: &str,
        connections: u32,
        seconds: u64,
    ) -> Result<Figures, Error> {
        let output = Command::new("wrk")
            .args(["-t", "2", "-c", &connections.to_string()])
            .args(["-d", &format!("{seconds}s"), "--timeout", "10s"])
            .arg("-s")
            .arg(self.lua_dir.join(script))
            .arg(base)
            .env("MTDB_BENCH_LUA", &self.lua_dir)
            .env("MTDB_BENCH_DIR", &self.bench_dir)
            .env("MTDB_BENCH_GROUPS", self.groups.to_string())
            .stdin(Stdio::null())
            .output()
            .await?;
        let stdout = String::from_utf8_lossy(&output.stdout);
        let line = stdout
            .lines()
            .find_map(|line| line.strip_prefix("MTDB-WRK "))
            .ok_or_else(|| {
                format!(
                    "wrk printed no figures: {stdout}{}",
                    String::from_utf8_lossy(&output.stderr)
                )
            })?;
        let field = |name: &str| -> f64 {
            line.split_whitespace()
                .find_map(|kv| kv.strip_prefix(name)?.strip_prefix('='))
                .and_then(|v| v.parse().ok())
                .unwrap_or(f64::NAN)
        };
        Ok(Figures {
            per_second: field("requests") / (field("duration_us") / 1e6),
            requests: field("requests"),
            p50_ms: field("p50_us") / 1000.0,
            p99_ms: field("p99_us") / 1000.0,
            errors: field("errors") as u64,
            non_2xx: field("non2xx") as u64,
        })
    }
}

pub struct Pgbench {
    pub script_dir: PathBuf,
    pub work_dir: PathBuf,
    pub app_url: String,
    pub groups: u64,
    pub parents: u64,
    pub seconds: u64,
}

impl Pgbench {
    /// `script` with `clients` connections; `requests` API requests per transaction of it.
    pub async fn run(&self, script: &str, clients: u32, requests: f64) -> Result<Figures, Error> {
        let prefix = self.work_dir.join(format!("pgbench-{script}-{clients}"));
        let output = Command::new("pgbench")
            .args(["-n", "-M", "prepared", "-j", "2"])
            .args(["-c", &clients.to_string(), "-T", &self.seconds.to_string()])
            .arg("-f")
            .arg(self.script_dir.join(format!("{script}.sql")))
            .args(["-D", &format!("groups={}", self.groups)])
            .args(["-D", &format!("parents={}", self.parents)])
            .args(["-D", &format!("large={}", crate::shape::LARGE)])
            .args(["-D", &format!("sub={}", crate::shape::SUBJECT)])
            .args(["-D", "subsidiary=subsidiary", "-D", "metadata={}"])
            .arg("-l")
            .arg(format!("--log-prefix={}", prefix.display()))
            .arg(&self.app_url)
            .stdin(Stdio::null())
            .output()
            .await?;
        let stdout = String::from_utf8_lossy(&output.stdout);
        let tps = stdout
            .lines()
            .find_map(|line| line.strip_prefix("tps = "))
            .and_then(|rest| rest.split_whitespace().next())
            .and_then(|v| v.parse::<f64>().ok())
            .ok_or_else(|| {
                format!(
                    "pgbench printed no tps: {stdout}{}",
                    String::from_utf8_lossy(&output.stderr)
                )
            })?;
        let transactions: f64 = stdout
            .lines()
            .find_map(|line| line.strip_prefix("number of transactions actually processed: "))
            .and_then(|rest| rest.split_whitespace().next())
            .and_then(|v| v.parse().ok())
            .unwrap_or(f64::NAN);
        let failed = stdout
            .lines()
            .find_map(|line| line.strip_prefix("number of failed transactions: "))
            .and_then(|rest| rest.split_whitespace().next())
            .and_then(|v| v.parse().ok())
            .unwrap_or(0);
        let mut latencies = transaction_latencies(&prefix)?;
        latencies.sort_unstable();
        Ok(Figures {
            per_second: tps * requests,
            requests: transactions * requests,
            p50_ms: percentile(&latencies, 0.50).as_secs_f64() * 1000.0,
            p99_ms: percentile(&latencies, 0.99).as_secs_f64() * 1000.0,
            errors: failed + u64::from(!output.status.success()),
            non_2xx: 0,
        })
    }
}

/// The third field of every line of pgbench's per-transaction logs (`prefix.<pid>` and
/// `prefix.<pid>.<thread>`): the transaction's latency in microseconds. The logs are
/// removed once read.
fn transaction_latencies(prefix: &Path) -> Result<Vec<Duration>, Error> {
    let dir = prefix.parent().ok_or("no log directory")?;
    let stem = prefix
        .file_name()
        .and_then(|n| n.to_str())
        .ok_or("no log prefix")?
        .to_owned();
    let mut latencies = Vec::new();
    for entry in std::fs::read_dir(dir)? {
        let path = entry?.path();
        let matches = path
            .file_name()
            .and_then(|n| n.to_str())
            .is_some_and(|n| n.starts_with(&format!("{stem}.")));
        if !matches {
            continue;
        }
        for line in std::fs::read_to_string(&path)?.lines() {
            if let Some(us) = line.split_whitespace().nth(2).and_then(|v| v.parse().ok()) {
                latencies.push(Duration::from_micros(us));
            }
        }
        std::fs::remove_file(&path)?;
    }
    Ok(latencies)
}

pub fn percentile(sorted: &[Duration], p: f64) -> Duration {
    let index = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted.get(index).copied().unwrap_or_default()
}

/// The run's files (tokens, pgbench's logs, the server's log), removed when the run ends,
/// failed or not.
pub struct WorkDir(pub PathBuf);

impl WorkDir {
    pub fn create() -> Result<Self, Error> {
        let path = std::env::temp_dir().join(format!("mtdb-bench-{}", std::process::id()));
        std::fs::create_dir_all(&path)?;
        Ok(Self(path))
    }
}

impl Drop for WorkDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}
