//! The release `mtdb serve` as a child process, with its default settings and its default
//! log level (`info`: one access-log line per request, as in production), the log written
//! to a file so that nothing in this process has to keep up with it. Shared by the
//! throughput and noisy-neighbour benches (each declares `SECRET` and `Error` at its root).

use std::path::Path;
use std::process::Stdio;
use std::time::{Duration, Instant};

use serde_json::Value;
use tokio::process::{Child, Command};

use crate::{Error, SECRET};

pub struct Server {
    child: Child,
    pid: u32,
    pub base: String,
}

impl Server {
    pub async fn start(app_url: &str, log: &Path) -> Result<Self, Error> {
        Self::start_with(app_url, log, &[]).await
    }

    /// As [`start`](Self::start), with `env` set on top of the defaults.
    pub async fn start_with(
        app_url: &str,
        log: &Path,
        env: &[(&str, &str)],
    ) -> Result<Self, Error> {
        let file = std::fs::File::create(log)?;
        let child = Command::new(env!("CARGO_BIN_EXE_mtdb"))
            .arg("serve")
            .env("DATABASE_URL", app_url)
            .env("MTDB_LISTEN", "127.0.0.1:0")
            .env("MTDB_JWT_SECRET", SECRET)
            .env("MTDB_LOG_FORMAT", "json")
            .env("RUST_LOG", "info")
            .env_remove("MTDB_METRICS_LISTEN")
            .env_remove("MTDB_DB_POOL_SIZE")
            .env_remove("MTDB_DB_POOL_RESERVE")
            .env_remove("MTDB_ORG_MAX_REQUESTS")
            // `auto`: named statements direct, unnamed through PgBouncer (pooled.rs).
            .env_remove("MTDB_DB_STATEMENTS")
            .envs(env.iter().copied())
            .stdout(Stdio::null())
            .stderr(file)
            .kill_on_drop(true)
            .spawn()?;
        let pid = child.id().ok_or("the server has no pid")?;
        let port = listening_port(log).await?;
        Ok(Self {
            child,
            pid,
            base: format!("http://127.0.0.1:{port}"),
        })
    }

    pub fn pid(&self) -> u32 {
        self.pid
    }

    /// The server's peak resident set so far (`VmHWM`), in MiB.
    pub fn peak_rss_mib(&self) -> u64 {
        std::fs::read_to_string(format!("/proc/{}/status", self.pid))
            .ok()
            .and_then(|status| {
                status
                    .lines()
                    .find_map(|line| line.strip_prefix("VmHWM:"))
                    .and_then(|rest| rest.trim().trim_end_matches("kB").trim().parse().ok())
            })
            .map_or(0, |kib: u64| kib / 1024)
    }

    pub async fn stop(mut self) -> Result<(), Error> {
        self.child.start_kill()?;
        self.child.wait().await?;
        Ok(())
    }
}

/// Reads the log until the server says where it listens (polled: this is a benchmark's
/// start-up, not a test).
async fn listening_port(log: &Path) -> Result<u16, Error> {
    let deadline = Instant::now() + Duration::from_secs(30);
    while Instant::now() < deadline {
        for line in std::fs::read_to_string(log)?.lines() {
            if let Ok(entry) = serde_json::from_str::<Value>(line) {
                if entry["message"] == "mtdb is listening" {
                    return entry["port"]
                        .as_u64()
                        .and_then(|p| u16::try_from(p).ok())
                        .ok_or_else(|| "the server logged no port".into());
                }
            }
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    // The log goes with the run's directory: its end is the error.
    let text = std::fs::read_to_string(log)?;
    let start = text.char_indices().rev().nth(2_000).map_or(0, |(i, _)| i);
    let tail = &text[start..];
    Err(format!("the server did not start; its log ends:\n{tail}").into())
}
