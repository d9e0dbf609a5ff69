//! A primary cluster of a test's own, for the failover tests, which kill it: never the
//! project-local cluster other tests share. `scripts/pg-local.sh start` makes it (initdb
//! as the cluster's OS user, the owner role, database `mtdb`) in a temporary data area on
//! a free port; [`OwnCluster::standby`] adds a streaming standby, synchronous or not.

use std::path::PathBuf;
use std::process::Command;
use std::time::{Duration, Instant};

use crate::cluster::{script, Cluster};
use crate::free_port::free_port;
use crate::procfs;
use crate::standby::session::connect;
use crate::standby::Standby;
use crate::urls::{ADMIN_ENV, APP_ENV};

/// How long the launcher waits for the standby to become synchronous, or for a killed
/// process to be gone.
const PATIENCE: Duration = Duration::from_secs(60);

/// What the start prints when another process has the port: PostgreSQL's bind error, or
/// the launcher's own check finding a listener there.
const PORT_TAKEN: [&str; 2] = ["Address already in use", "is taken by another server"];

/// What `scripts/pg-local.sh` is told: the cluster's data area and port.
fn launcher_env<'a>(area: &'a str, port: &'a str) -> [(&'static str, &'a str); 2] {
    [("MTDB_PG_DIR", area), ("MTDB_PG_PORT", port)]
}

/// Whether a commit waits for the standby.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Replication {
    /// `synchronous_standby_names = '*'`, `synchronous_commit = on`: a commit is
    /// acknowledged once the standby has flushed it.
    Synchronous,
    /// PostgreSQL's default: a commit is acknowledged once the primary has flushed it.
    Asynchronous,
}

/// A running primary of its own; stopped and deleted on `Drop`.
pub struct OwnCluster {
    area: PathBuf,
    cluster: Cluster,
    admin_url: String,
    app_url: String,
    killed: bool,
}

impl OwnCluster {
    /// Starts the cluster; commits wait for a local flush (`synchronous_commit = on`,
    /// unlike the project-local cluster's `off`), so that what a kill may lose is only
    /// what replication did not carry.
    ///
    /// # Panics
    /// When any step fails: a failover test without its cluster must fail, not skip.
    pub async fn start() -> Self {
        let started = tokio::task::spawn_blocking(Self::start_blocking)
            .await
            .expect("starting the cluster");
        started.set("synchronous_commit = on").await;
        started
    }

    fn start_blocking() -> Self {
        let area = std::env::temp_dir().join(format!(
            "mtdb-primary-{}",
            &uuid::Uuid::new_v4().simple().to_string()[..12]
        ));
        let area_text = area.to_string_lossy().into_owned();
        // Another launcher may bind the chosen port first: the start then fails with
        // "Address already in use" and is tried again on another port (initdb is kept).
        let (port, output) = (0..3)
            .map(|_| {
                let port = free_port().to_string();
                let output = Command::new(script())
                    .arg("start")
                    .envs(launcher_env(&area_text, &port))
                    .env_remove(ADMIN_ENV)
                    .env_remove(APP_ENV)
                    .output()
                    .expect("running scripts/pg-local.sh start");
                (port, output)
            })
            .find(|(_, output)| {
                let stderr = String::from_utf8_lossy(&output.stderr);
                !PORT_TAKEN.iter().any(|taken| stderr.contains(taken))
            })
            .expect("three ports in a row were taken");
        let env = launcher_env(&area_text, &port);
        let stdout = String::from_utf8_lossy(&output.stdout).into_owned();
        let url = |key: &str| {
            stdout
                .lines()
                .find_map(|line| line.strip_prefix(key)?.strip_prefix('='))
                .map(str::to_owned)
                .unwrap_or_else(|| {
                    let stderr = String::from_utf8_lossy(&output.stderr);
                    panic!("scripts/pg-local.sh start printed no {key}: {stderr}")
                })
        };
        let (admin_url, app_url) = (url(ADMIN_ENV), url(APP_ENV));
        Self {
            cluster: Cluster::described(&script(), &env),
            area,
            admin_url,
            app_url,
            killed: false,
        }
    }

    /// The owner's URL of database `mtdb`.
    pub fn admin_url(&self) -> &str {
        &self.admin_url
    }

    /// The login role's URL of database `mtdb`.
    pub fn app_url(&self) -> &str {
        &self.app_url
    }

    /// The cluster's address.
    pub fn address(&self) -> std::net::SocketAddr {
        std::net::SocketAddr::from(([127, 0, 0, 1], self.cluster.port))
    }

    /// A standby streaming from this cluster, replaying everything written so far. With
    /// [`Replication::Synchronous`], returns once the primary names it its synchronous
    /// standby. The standby's own `synchronous_standby_names` is empty: promoted, it
    /// has no standby to wait for.
    pub async fn standby(&self, replication: Replication) -> Standby {
        let standby = Standby::of(self.cluster.clone(), "synchronous_standby_names = ''").await;
        if replication == Replication::Synchronous {
            self.set("synchronous_standby_names = '*'").await;
            let primary = self.superuser().await;
            let deadline = Instant::now() + PATIENCE;
            loop {
                let sync: i64 = primary
                    .query_one(
                        "select count(*) from pg_stat_replication where sync_state = 'sync'",
                        &[],
                    )
                    .await
                    .expect("reading pg_stat_replication")
                    .get(0);
                if sync == 1 {
                    break;
                }
                assert!(
                    Instant::now() < deadline,
                    "the standby never became synchronous"
                );
                tokio::time::sleep(Duration::from_millis(20)).await;
            }
        }
        standby
    }

    /// How many bytes of WAL the primary wrote that its standby has not flushed yet:
    /// what an asynchronous standby would lose if the primary died now.
    pub async fn unflushed_by_standby(&self) -> i64 {
        self.superuser()
            .await
            .query_one(
                "select coalesce(max(pg_wal_lsn_diff(pg_current_wal_lsn(), flush_lsn)), 0)::bigint \
                 from pg_stat_replication",
                &[],
            )
            .await
            .expect("reading pg_stat_replication")
            .get(0)
    }

    /// Stops (`SIGSTOP`) the primary's WAL sender: from now on its standby receives
    /// nothing, as behind a stalled network, while asynchronous commits go on.
    pub async fn stall_replication(&self) {
        let pid: i32 = self
            .superuser()
            .await
            .query_one("select pid from pg_stat_replication", &[])
            .await
            .expect("the WAL sender")
            .get(0);
        let stopped = Command::new("kill")
            .args(["-STOP", &pid.to_string()])
            .status();
        assert!(stopped.is_ok_and(|s| s.success()), "kill -STOP {pid}");
    }

    /// How many commits wait for the synchronous standby now.
    pub async fn waiting_for_standby(&self) -> i64 {
        self.superuser()
            .await
            .query_one(
                "select count(*) from pg_stat_activity where wait_event = 'SyncRep'",
                &[],
            )
            .await
            .expect("reading pg_stat_activity")
            .get(0)
    }

    /// `kill -9` of every process of the cluster at once (the postmaster and each of its
    /// children), as a lost host would; returns once none is left.
    pub async fn kill(&mut self) {
        let pid_file = self.area.join("data/postmaster.pid");
        let text = std::fs::read_to_string(&pid_file).expect("reading postmaster.pid");
        let postmaster: u32 = text
            .lines()
            .next()
            .and_then(|line| line.trim().parse().ok())
            .expect("the postmaster's pid");
        assert!(
            procfs::stat(postmaster).is_some(),
            "failover tests need /proc to find the cluster's processes"
        );
        let mut pids: Vec<u32> = procfs::children(postmaster)
            .into_iter()
            .map(|(pid, _)| pid)
            .collect();
        pids.push(postmaster);
        // A backend may end by itself meanwhile (`kill` then reports it): what matters
        // is that none is left.
        let killed = Command::new("kill")
            .arg("-9")
            .args(pids.iter().map(u32::to_string))
            .stderr(std::process::Stdio::null())
            .status();
        assert!(killed.is_ok(), "running kill: {killed:?}");
        self.killed = true;
        let deadline = Instant::now() + PATIENCE;
        while pids.iter().any(|pid| alive(*pid)) {
            assert!(Instant::now() < deadline, "the killed processes stayed");
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
    }

    /// Adds `line` (`name = value`) to the cluster's settings and reloads them; returns
    /// once a new session sees the value.
    pub async fn set(&self, line: &str) {
        let conf = self.area.join("data/mtdb.conf");
        let mut text = std::fs::read_to_string(&conf).expect("reading mtdb.conf");
        text.push_str(&format!("{line}\n"));
        std::fs::write(&conf, text).expect("writing mtdb.conf");
        self.superuser()
            .await
            .batch_execute("select pg_reload_conf()")
            .await
            .expect("reloading the settings");
        // `pg_reload_conf` only signals: wait until this session's backend sees it.
        let (name, value) = line.split_once(" = ").expect("a `name = value` line");
        let value = value.trim_matches('\'');
        let deadline = Instant::now() + PATIENCE;
        loop {
            let fresh = self.superuser().await;
            let now: String = fresh
                .query_one("select current_setting($1)", &[&name])
                .await
                .expect("reading the setting")
                .get(0);
            if now == value {
                return;
            }
            assert!(Instant::now() < deadline, "{line} never applied");
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    }

    /// A superuser session on database `postgres`.
    pub async fn superuser(&self) -> tokio_postgres::Client {
        let c = &self.cluster;
        connect(&c.socket_dir, c.port, &c.superuser).await
    }
}

impl Drop for OwnCluster {
    fn drop(&mut self) {
        if !self.killed {
            let mut stop = self.cluster.as_cluster_user("pg_ctl");
            stop.arg("-D").arg(self.area.join("data"));
            let _ = stop.args(["stop", "-m", "immediate", "-w"]).output();
        }
        let _ = std::fs::remove_dir_all(&self.area);
    }
}

/// Whether `pid` still runs (a zombie counts as gone).
fn alive(pid: u32) -> bool {
    procfs::stat(pid).is_some_and(|stat| stat.state != 'Z')
}
