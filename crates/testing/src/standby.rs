//! A hot standby of the project-local cluster (`scripts/pg-local.sh`), for the read
//! replica tests: `pg_basebackup -R -X stream` as the cluster's OS user over its unix
//! socket (the generated `pg_hba.conf` trusts local replication connections), started on
//! a free port of 127.0.0.1, stopped and deleted on `Drop`. Being a physical copy, it
//! holds every database of the cluster, the tests' own included, and replays whatever
//! they write next.

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use tokio_postgres::{Client, NoTls};

use crate::cluster::Cluster;
use session::{config, connect, lsn, run};

pub(crate) mod session;

/// How long the launcher waits for anything (a start, a replay, a pause) before failing.
const PATIENCE: Duration = Duration::from_secs(60);
/// The pause between two polls while waiting.
const POLL: Duration = Duration::from_millis(20);

/// A running standby; stopped and deleted when dropped.
pub struct Standby {
    primary: Cluster,
    dir: PathBuf,
    port: u16,
    running: bool,
}

impl Standby {
    /// Builds and starts a standby of the running project-local cluster, and waits until
    /// it accepts connections and has replayed everything the primary wrote so far.
    ///
    /// # Panics
    /// When the project-local cluster is not the one `MTDB_ADMIN_DATABASE_URL` names, or
    /// any step fails: a replica test without its standby must fail, not skip.
    pub async fn start() -> Self {
        let primary = tokio::task::spawn_blocking(Cluster::find)
            .await
            .expect("finding the cluster");
        Self::of(primary, "").await
    }

    /// A standby of `primary` with `settings` (lines of `postgresql.conf`) after its own.
    pub(super) async fn of(primary: Cluster, settings: &str) -> Self {
        let dir = std::env::temp_dir().join(format!(
            "mtdb-standby-{}",
            &uuid::Uuid::new_v4().simple().to_string()[..12]
        ));
        let mut standby = Self {
            primary,
            dir,
            port: 0,
            running: false,
        };
        let settings = settings.to_owned();
        let standby = tokio::task::spawn_blocking(move || {
            standby.build(&settings);
            standby
        })
        .await
        .expect("building the standby");
        standby.wait_ready().await;
        standby.wait_replayed().await;
        standby
    }

    /// The standby's address.
    pub fn address(&self) -> SocketAddr {
        SocketAddr::from(([127, 0, 0, 1], self.port))
    }

    /// `url` (credentials, database, parameters) pointed at the standby.
    pub fn url_for(&self, url: &str) -> String {
        crate::urls::with_address(url, self.address())
    }

    /// A superuser session on the standby, over its unix socket.
    pub async fn superuser(&self) -> Client {
        connect(
            &self.dir.to_string_lossy(),
            self.port,
            &self.primary.superuser,
        )
        .await
    }

    /// Waits until the standby has replayed everything the primary wrote (acknowledged
    /// asynchronous commits included) until now.
    pub async fn wait_replayed(&self) {
        let primary = self.primary_superuser().await;
        // Everything inserted so far, acknowledged asynchronous commits included; then a
        // synchronous commit flushes it all, so that the walsender may send it.
        let target = lsn(&primary, "select pg_current_wal_insert_lsn()::text").await;
        primary
            .batch_execute("set synchronous_commit to on; select txid_current()")
            .await
            .expect("flushing the primary's WAL");
        let standby = self.superuser().await;
        let deadline = Instant::now() + PATIENCE;
        while lsn(&standby, "select pg_last_wal_replay_lsn()::text").await < target {
            assert!(Instant::now() < deadline, "the standby did not catch up");
            tokio::time::sleep(POLL).await;
        }
    }

    /// Pauses replay (`pg_wal_replay_pause()`) and waits until it is paused: from then on
    /// nothing the primary writes reaches the standby's readers.
    pub async fn pause_replay(&self) {
        let standby = self.superuser().await;
        standby
            .batch_execute("select pg_wal_replay_pause()")
            .await
            .expect("pausing replay");
        let deadline = Instant::now() + PATIENCE;
        loop {
            let row = standby
                .query_one("select pg_get_wal_replay_pause_state()", &[])
                .await
                .expect("reading the pause state");
            if row.get::<_, String>(0) == "paused" {
                return;
            }
            assert!(Instant::now() < deadline, "replay did not pause");
            tokio::time::sleep(POLL).await;
        }
    }

    /// Resumes replay.
    pub async fn resume_replay(&self) {
        self.superuser()
            .await
            .batch_execute("select pg_wal_replay_resume()")
            .await
            .expect("resuming replay");
    }

    /// Stops the standby now (`pg_ctl stop -m immediate`), as a crash or a lost host would.
    pub async fn stop(&mut self) {
        let pg_ctl = self.pg_ctl(["stop", "-m", "immediate", "-w"]);
        tokio::task::spawn_blocking(move || run(pg_ctl, "stopping the standby"))
            .await
            .expect("stopping the standby");
        self.running = false;
    }

    /// Promotes the standby (`pg_ctl promote -w`): it ends recovery and accepts writes.
    pub async fn promote(&self) {
        let pg_ctl = self.pg_ctl(["promote", "-w"]);
        tokio::task::spawn_blocking(move || run(pg_ctl, "promoting the standby"))
            .await
            .expect("promoting the standby");
    }

    fn build(&mut self, settings: &str) {
        std::fs::create_dir(&self.dir).expect("creating the standby's directory");
        self.own(&self.dir);
        let mut set_mode = Command::new("chmod");
        set_mode.arg("700").arg(&self.dir);
        run(set_mode, "chmod");
        let mut backup = self.as_cluster_user("pg_basebackup");
        backup
            .args(["-h", &self.primary.socket_dir, "-p"])
            .arg(self.primary.port.to_string())
            .args(["-U", &self.primary.superuser, "-D"])
            .arg(self.data())
            // `fast`: a spread checkpoint would make the backup wait for minutes.
            .args(["-R", "-X", "stream", "-c", "fast"]);
        // Several tests build standbys at once; a backup that loses a race for a WAL
        // sender is tried again from scratch.
        let mut failure = String::new();
        for _ in 0..3 {
            let output = backup.output().expect("running pg_basebackup");
            if output.status.success() {
                failure.clear();
                break;
            }
            failure = String::from_utf8_lossy(&output.stderr).into_owned();
            let _ = std::fs::remove_dir_all(self.data());
        }
        assert!(failure.is_empty(), "pg_basebackup failed: {failure}");
        self.port = crate::free_port::free_port();
        self.configure(settings);
        // `-W`: not waiting here; `wait_ready` does, nudging the primary meanwhile.
        let mut start = self.pg_ctl(["start", "-W", "-l"]);
        start.arg(self.log());
        run(start, "starting the standby");
        self.running = true;
    }

    /// Waits until the standby accepts connections. A hot standby opens once replay has
    /// a snapshot of the primary's running transactions; when the one in the backup's
    /// checkpoint is unusable (a concurrent test's overflowed subtransactions), the next
    /// comes from the primary's next checkpoint, which is asked for every second.
    async fn wait_ready(&self) {
        let deadline = Instant::now() + PATIENCE;
        let mut nudged = Instant::now();
        loop {
            if self.try_superuser().await.is_some() {
                return;
            }
            if Instant::now() > deadline {
                let log = std::fs::read_to_string(self.log()).unwrap_or_default();
                panic!("the standby did not open:\n{log}");
            }
            if nudged.elapsed() > Duration::from_secs(1) {
                self.primary_superuser()
                    .await
                    .batch_execute("checkpoint")
                    .await
                    .expect("a checkpoint on the primary");
                nudged = Instant::now();
            }
            tokio::time::sleep(POLL).await;
        }
    }

    fn log(&self) -> PathBuf {
        self.dir.join("standby.log")
    }

    async fn primary_superuser(&self) -> Client {
        connect(
            &self.primary.socket_dir,
            self.primary.port,
            &self.primary.superuser,
        )
        .await
    }

    async fn try_superuser(&self) -> Option<Client> {
        let (client, connection) = config(
            &self.dir.to_string_lossy(),
            self.port,
            &self.primary.superuser,
        )
        .connect(NoTls)
        .await
        .ok()?;
        tokio::spawn(connection);
        Some(client)
    }

    /// The copied `mtdb.conf` (the primary's generated settings) with the standby's own
    /// port, socket and `settings` after them: the last setting wins.
    fn configure(&self, settings: &str) {
        let conf = self.data().join("mtdb.conf");
        let mut text = std::fs::read_to_string(&conf).expect("reading the copied mtdb.conf");
        text.push_str(&format!(
            "\n# the standby's own\nport = {}\nunix_socket_directories = '{}'\nhot_standby = on\n{settings}\n",
            self.port,
            self.dir.display()
        ));
        std::fs::write(&conf, text).expect("writing the standby's mtdb.conf");
    }

    fn data(&self) -> PathBuf {
        self.dir.join("data")
    }

    fn pg_ctl<const N: usize>(&self, args: [&str; N]) -> Command {
        let mut command = self.as_cluster_user("pg_ctl");
        command.arg("-D").arg(self.data()).args(args);
        command
    }

    fn as_cluster_user(&self, bin: &str) -> Command {
        self.primary.as_cluster_user(bin)
    }

    fn own(&self, path: &Path) {
        if let Some(user) = &self.primary.os_user {
            let mut chown = Command::new("chown");
            chown.arg(format!("{user}:")).arg(path);
            run(chown, "chown");
        }
    }
}

impl Drop for Standby {
    fn drop(&mut self) {
        if self.running {
            let _ = self.pg_ctl(["stop", "-m", "immediate", "-w"]).status();
        }
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}
