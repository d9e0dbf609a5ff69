//! `SIGTERM` drains requests in flight and exits 0 (docs/architecture.md), on the real
//! binary. A request is held in flight by a row lock taken from outside, so that the
//! order of events is certain: the request waits, the signal arrives and is logged, the
//! lock is released, the request completes, the process exits.

use std::process::Stdio;
use std::time::Duration;

use mtdb_postgres::testing::TestDatabase;
use reqwest::StatusCode;
use serde_json::{json, Value};
use tokio::io::{AsyncBufReadExt, BufReader, Lines};
use tokio::process::{ChildStderr, Command};
use tokio_postgres::NoTls;

use crate::helpers::*;

const GUARD: Duration = Duration::from_secs(60);

/// The next JSON log line whose message is `message`.
async fn until_logged(lines: &mut Lines<BufReader<ChildStderr>>, message: &str) -> Value {
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

#[tokio::test]
async fn sigterm_finishes_the_request_in_flight_then_exits_0() {
    let db = TestDatabase::create().await;
    mtdb_postgres::seed_demo(db.admin_url())
        .await
        .expect("seed");
    let mut server = Command::new(env!("CARGO_BIN_EXE_mtdb"))
        .arg("serve")
        .env("DATABASE_URL", db.app_url())
        .env("MTDB_LISTEN", "127.0.0.1:0")
        .env(
            "MTDB_JWT_SECRET",
            std::str::from_utf8(SECRET).expect("UTF-8"),
        )
        .env("MTDB_LOG_FORMAT", "json")
        .env("RUST_LOG", "info")
        .env_remove("MTDB_METRICS_LISTEN")
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .kill_on_drop(true)
        .spawn()
        .expect("start mtdb serve");
    let mut log = BufReader::new(server.stderr.take().expect("stderr")).lines();
    let listening = until_logged(&mut log, "mtdb is listening").await;
    let base = format!("http://127.0.0.1:{}", listening["port"]);

    // Lock HSBC's row as the platform admin, outside the server.
    let (mut locker, connection) = tokio_postgres::connect(db.app_url(), NoTls).await.unwrap();
    tokio::spawn(connection);
    let lock = locker.transaction().await.unwrap();
    lock.batch_execute("select set_config('role', 'mtdb_platform_admin', true)")
        .await
        .unwrap();
    lock.execute(
        "select 1 from tenants where tenant_id = $1::text::uuid for update",
        &[&HSBC],
    )
    .await
    .unwrap();

    // The update waits for the lock: in flight.
    let client = reqwest::Client::new();
    let update = client
        .put(format!("{base}/api/v1/tenants/{HSBC}"))
        .bearer_auth(token_for(As::Admin))
        .json(&json!({"name": "HSBC Holdings"}))
        .send();
    let in_flight = tokio::spawn(update);
    let (watcher, connection) = tokio_postgres::connect(db.app_url(), NoTls).await.unwrap();
    tokio::spawn(connection);
    tokio::time::timeout(GUARD, async {
        loop {
            let waiting: i64 = watcher
                .query_one(
                    "select count(*) from pg_stat_activity \
                     where datname = current_database() and wait_event_type = 'Lock'",
                    &[],
                )
                .await
                .unwrap()
                .get(0);
            if waiting > 0 {
                break;
            }
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
    })
    .await
    .expect("the update reached the lock");

    let pid = server.id().expect("a running server").to_string();
    // The shell's own `kill`: no procps needed.
    let signalled = std::process::Command::new("sh")
        .args(["-c", &format!("kill -TERM {pid}")])
        .status();
    assert!(signalled.expect("run kill").success());
    until_logged(&mut log, "SIGTERM received").await;
    lock.rollback().await.unwrap();

    let response = tokio::time::timeout(GUARD, in_flight)
        .await
        .expect("the update answered")
        .expect("the request task")
        .expect("a response, not a dropped connection");
    assert_eq!(response.status(), StatusCode::OK);
    let exit = tokio::time::timeout(GUARD, server.wait())
        .await
        .expect("the server exited")
        .expect("its status");
    assert!(exit.success(), "{exit:?}");
    // The answered write is in the database.
    let tx = locker.transaction().await.unwrap();
    tx.batch_execute("select set_config('role', 'mtdb_platform_admin', true)")
        .await
        .unwrap();
    let name: String = tx
        .query_one(
            "select name from tenants where tenant_id = $1::text::uuid",
            &[&HSBC],
        )
        .await
        .unwrap()
        .get(0);
    assert_eq!(name, "HSBC Holdings");
}
