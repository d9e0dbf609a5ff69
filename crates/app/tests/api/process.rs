//! The real `mtdb serve` binary as a child process, for what only a process shows:
//! signals, exit codes and its log. Each step waits on an observable event (a log line,
//! a lock waiter in `pg_locks`, the exit), under a generous hang guard.

use std::process::{ExitStatus, Stdio};
use std::time::Duration;

use mtdb_testing::TestDatabase;
use serde_json::{json, Value};
use tokio::io::{AsyncBufReadExt, BufReader, Lines};
use tokio::process::{Child, ChildStderr, Command};
use tokio::task::JoinHandle;
use tokio_postgres::{Client, NoTls};

use crate::helpers::*;

pub const GUARD: Duration = Duration::from_secs(60);

pub struct ServerProcess {
    pub child: Child,
    pub log: Lines<BufReader<ChildStderr>>,
    pub base: String,
    pub db: TestDatabase,
}

impl ServerProcess {
    /// A seeded database and `mtdb serve` on it, JSON logs at `rust_log`, with `env`
    /// added; returns once it logged that it listens.
    pub async fn start(rust_log: &str, env: &[(&str, &str)]) -> Self {
        let db = TestDatabase::create().await;
        mtdb_postgres_admin::seed_demo(db.admin_url())
            .await
            .expect("seed");
        let (child, log, base) = spawn_serve(db.app_url(), rust_log, env).await;
        Self {
            child,
            log,
            base,
            db,
        }
    }

    /// The next JSON log line whose message contains `message`.
    pub async fn until_logged(&mut self, message: &str) -> Value {
        until_logged(&mut self.log, message).await
    }

    /// Sends `signal` (a name such as `TERM`) with the shell's own `kill`: no procps.
    pub fn signal(&self, signal: &str) {
        let pid = self.child.id().expect("a running server");
        let sent = std::process::Command::new("sh")
            .args(["-c", &format!("kill -{signal} {pid}")])
            .status();
        assert!(sent.expect("run kill").success(), "kill -{signal} {pid}");
    }

    pub async fn exit(&mut self) -> ExitStatus {
        tokio::time::timeout(GUARD, self.child.wait())
            .await
            .expect("the server exited")
            .expect("its status")
    }

    /// Every log line left, up to the end of the log (call after the exit).
    pub async fn rest_of_log(&mut self) -> Vec<String> {
        let mut lines = Vec::new();
        let read = async {
            while let Some(line) = self.log.next_line().await.expect("read the log") {
                lines.push(line);
            }
        };
        tokio::time::timeout(GUARD, read)
            .await
            .expect("the log ends");
        lines
    }

    /// A connection to the test database as the login role.
    pub async fn connect(&self) -> Client {
        let (client, connection) = tokio_postgres::connect(self.db.app_url(), NoTls)
            .await
            .expect("connect");
        tokio::spawn(connection);
        client
    }

    /// A `PUT` renaming HSBC, sent in the background: it waits on `locker`'s row lock,
    /// and returns once PostgreSQL shows it waiting (so it is in flight).
    pub async fn put_behind_lock(&self, locker: &Client) -> InFlightPut {
        // A transaction left open on purpose; `release` ends it.
        locker
            .batch_execute("begin; select set_config('role', 'mtdb_platform_admin', true)")
            .await
            .expect("begin as the admin");
        locker
            .execute(
                "select 1 from tenants where tenant_id = $1::text::uuid for update",
                &[&HSBC],
            )
            .await
            .expect("lock HSBC");
        let update = reqwest::Client::new()
            .put(format!("{}/api/v1/tenants/{HSBC}", self.base))
            .bearer_auth(token_for(As::Admin))
            .json(&json!({"name": "HSBC Holdings"}))
            .send();
        let response = tokio::spawn(update);
        let watcher = self.connect().await;
        tokio::time::timeout(GUARD, async {
            loop {
                let waiting: i64 = watcher
                    .query_one(
                        "select count(*) from pg_locks l join pg_stat_activity a using (pid) \
                         where a.datname = current_database() and not l.granted",
                        &[],
                    )
                    .await
                    .expect("count waiters")
                    .get(0);
                if waiting > 0 {
                    return;
                }
                // Polling PostgreSQL, not waiting for time to pass: the next look.
                tokio::time::sleep(Duration::from_millis(10)).await;
            }
        })
        .await
        .expect("the update reached the lock");
        InFlightPut { response }
    }

    /// HSBC's stored name, read as the platform admin.
    pub async fn hsbc_name(&self) -> String {
        let mut client = self.connect().await;
        let tx = client.transaction().await.expect("begin");
        tx.batch_execute("select set_config('role', 'mtdb_platform_admin', true)")
            .await
            .expect("switch role");
        tx.query_one(
            "select name from tenants where tenant_id = $1::text::uuid",
            &[&HSBC],
        )
        .await
        .expect("read HSBC")
        .get(0)
    }
}

/// `mtdb serve` on `database_url` (the login role's URL: direct, or through a pooler),
/// JSON logs at `rust_log`, with `env` added; returns once it logged that it listens, with
/// its log (read it, or the server blocks once the pipe is full) and its base URL.
pub async fn spawn_serve(
    database_url: &str,
    rust_log: &str,
    env: &[(&str, &str)],
) -> (Child, Lines<BufReader<ChildStderr>>, String) {
    let mut command = Command::new(env!("CARGO_BIN_EXE_mtdb"));
    command
        .arg("serve")
        .env("DATABASE_URL", database_url)
        .env("MTDB_LISTEN", "127.0.0.1:0")
        .env(
            "MTDB_JWT_SECRET",
            std::str::from_utf8(SECRET).expect("UTF-8"),
        )
        .env("MTDB_LOG_FORMAT", "json")
        .env("RUST_LOG", rust_log)
        .env_remove("MTDB_METRICS_LISTEN")
        .env_remove("MTDB_SHUTDOWN_GRACE_MS")
        .envs(env.iter().copied())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .kill_on_drop(true);
    let mut child = command.spawn().expect("start mtdb serve");
    let mut log = BufReader::new(child.stderr.take().expect("stderr")).lines();
    let listening = until_logged(&mut log, "mtdb is listening").await;
    let base = format!("http://127.0.0.1:{}", listening["port"]);
    (child, log, base)
}

/// The `PUT` held by the row lock.
pub struct InFlightPut {
    pub response: JoinHandle<reqwest::Result<reqwest::Response>>,
}

impl InFlightPut {
    pub async fn outcome(self) -> reqwest::Result<reqwest::Response> {
        tokio::time::timeout(GUARD, self.response)
            .await
            .expect("the update ended")
            .expect("the request task")
    }
}

/// Ends the lock that [`ServerProcess::put_behind_lock`] took on `locker`.
pub async fn release(locker: &Client) {
    locker.batch_execute("rollback").await.expect("rollback");
}

/// The next JSON log line whose message contains `message`.
pub async fn until_logged(lines: &mut Lines<BufReader<ChildStderr>>, message: &str) -> Value {
    let wait = async {
        while let Some(line) = lines.next_line().await.expect("read the log") {
            if let Ok(entry) = serde_json::from_str::<Value>(&line) {
                if entry["message"]
                    .as_str()
                    .is_some_and(|m| m.contains(message))
                {
                    return entry;
                }
            }
        }
        panic!("the server exited before logging {message:?}");
    };
    tokio::time::timeout(GUARD, wait)
        .await
        .unwrap_or_else(|_| panic!("no {message:?} in the log within {GUARD:?}"))
}
