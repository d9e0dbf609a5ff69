//! `BENCH_PERF=1`: a `perf record` of the server (call graphs, 999 Hz) while wrk drives
//! GET by id at 64 connections, and the symbols that hold 1% or more of its samples.
//! Needs `perf` (Debian: linux-perf) and permission to attach to the server's pid.

use std::path::{Path, PathBuf};
use std::process::Stdio;

use tokio::process::{Child, Command};

use crate::Error;

pub fn wanted() -> bool {
    std::env::var("BENCH_PERF").is_ok_and(|v| !v.is_empty() && v != "0")
}

pub struct Recording {
    child: Child,
    data: PathBuf,
}

pub fn start(pid: u32, seconds: u64, dir: &Path) -> Result<Recording, Error> {
    let data = dir.join("perf.data");
    let child = Command::new("perf")
        .args(["record", "-F", "999", "-g", "-p", &pid.to_string(), "-o"])
        .arg(&data)
        .args(["--", "sleep", &seconds.to_string()])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()?;
    Ok(Recording { child, data })
}

impl Recording {
    /// Waits for the recording to end and prints where the server's time went.
    pub async fn report(mut self) -> Result<(), Error> {
        self.child.wait().await?;
        for (title, sort) in [
            ("by binary (kernel, mtdb, libc, ...)", "dso"),
            ("by symbol, self time, 1% and more", "symbol"),
        ] {
            let output = Command::new("perf")
                .args(["report", "--stdio", "--no-children", "--percent-limit", "1"])
                .args(["--sort", sort, "-g", "none", "-i"])
                .arg(&self.data)
                .output()
                .await?;
            println!("\nperf profile of the server under GET by id, 64 connections, {title}:");
            for line in String::from_utf8_lossy(&output.stdout).lines() {
                // The columns perf pads with, and its `-` placeholders, dropped.
                let mut words: Vec<&str> = line.split_whitespace().collect();
                while words.last() == Some(&"-") {
                    words.pop();
                }
                if !line.starts_with('#') && !words.is_empty() {
                    println!("  {}", words.join(" "));
                }
            }
        }
        Ok(())
    }
}
