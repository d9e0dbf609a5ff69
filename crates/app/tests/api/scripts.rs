//! `make run` and `make test` stop with the local PostgreSQL script's own message when it
//! cannot start, and `make run` shows no token for a server that did not start. The
//! scripts run for real; `cargo` on their PATH is a stand-in that only records that it
//! was reached (on a broken script it would otherwise build and test everything again).

use std::path::{Path, PathBuf};
use std::process::{Output, Stdio};

use mtdb_testing::TestDatabase;
use tokio::io::{AsyncBufReadExt, BufReader};
use tokio::process::Command;

use crate::process::GUARD;

fn script(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../scripts")
        .join(name)
}

/// A directory holding a `cargo` that writes `reached` beside itself and fails.
struct FakeCargo(PathBuf);

impl FakeCargo {
    fn new() -> Self {
        let dir = std::env::temp_dir().join(format!("mtdb-fake-cargo-{}", uuid::Uuid::new_v4()));
        std::fs::create_dir_all(&dir).expect("a temp dir");
        let cargo = dir.join("cargo");
        std::fs::write(
            &cargo,
            "#!/bin/sh\ntouch \"$(dirname \"$0\")/reached\"\nexit 97\n",
        )
        .expect("write the fake cargo");
        let chmod = std::process::Command::new("chmod")
            .arg("+x")
            .arg(&cargo)
            .status();
        assert!(chmod.expect("chmod").success());
        Self(dir)
    }

    fn path(&self) -> String {
        format!(
            "{}:{}",
            self.0.display(),
            std::env::var("PATH").unwrap_or_default()
        )
    }

    fn reached(&self) -> bool {
        self.0.join("reached").exists()
    }
}

impl Drop for FakeCargo {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

async fn run(name: &str, cargo: &FakeCargo, env: &[(&str, &str)]) -> Output {
    let output = Command::new("bash")
        .arg(script(name))
        .env_remove("MTDB_ADMIN_DATABASE_URL")
        .env_remove("DATABASE_URL")
        .env("PATH", cargo.path())
        .envs(env.iter().copied())
        .stdin(Stdio::null())
        .output();
    tokio::time::timeout(GUARD, output)
        .await
        .expect("the script ended")
        .expect("run the script")
}

#[tokio::test]
async fn a_bad_mtdb_pg_port_stops_make_test_and_make_run_with_its_reason() {
    for script in ["test.sh", "run.sh"] {
        for port in ["abc", "70000", "0"] {
            let cargo = FakeCargo::new();
            let output = run(script, &cargo, &[("MTDB_PG_PORT", port)]).await;
            let said = String::from_utf8_lossy(&output.stderr);
            assert!(!output.status.success(), "{script} {port}: {said}");
            assert!(said.contains("MTDB_PG_PORT"), "{script} {port}: {said}");
            assert!(
                !cargo.reached(),
                "{script} went on with MTDB_PG_PORT={port}"
            );
        }
    }
}

#[tokio::test]
async fn a_port_held_by_another_server_stops_make_test_with_its_reason() {
    let held = std::net::TcpListener::bind("127.0.0.1:0").expect("a port");
    let port = held.local_addr().expect("its address").port().to_string();
    let area = std::env::temp_dir().join(format!("mtdb-pg-held-{}", uuid::Uuid::new_v4()));
    let cargo = FakeCargo::new();

    let output = run(
        "test.sh",
        &cargo,
        &[
            ("MTDB_PG_PORT", &port),
            ("MTDB_PG_DIR", area.to_str().expect("a UTF-8 path")),
        ],
    )
    .await;

    let _ = std::fs::remove_dir_all(&area);
    let said = String::from_utf8_lossy(&output.stderr);
    assert!(!output.status.success(), "{said}");
    assert!(
        said.contains(&format!("port {port}")) && said.contains("taken"),
        "{said}"
    );
    assert!(!cargo.reached(), "test.sh went on: {said}");
}

#[tokio::test]
async fn make_run_prints_no_token_when_its_address_is_busy() {
    let db = TestDatabase::create().await;
    let held = std::net::TcpListener::bind("127.0.0.1:0").expect("a port");
    let address = held.local_addr().expect("its address").to_string();
    let cargo = FakeCargo::new();

    let output = run(
        "run.sh",
        &cargo,
        &[
            ("MTDB_BIN", env!("CARGO_BIN_EXE_mtdb")),
            ("MTDB_ADMIN_DATABASE_URL", db.admin_url()),
            ("DATABASE_URL", db.app_url()),
            ("MTDB_LISTEN", &address),
        ],
    )
    .await;

    let said = String::from_utf8_lossy(&output.stderr);
    let shown = String::from_utf8_lossy(&output.stdout);
    assert!(!output.status.success(), "{said}");
    assert!(
        said.contains(&address) && said.contains("MTDB_LISTEN"),
        "{said}"
    );
    assert!(
        !shown.contains("Bearer"),
        "tokens for a server that is not there: {shown}"
    );
}

#[tokio::test]
async fn make_run_prints_the_tokens_once_the_server_listens() {
    let db = TestDatabase::create().await;
    let cargo = FakeCargo::new();
    let mut child = Command::new("bash")
        .arg(script("run.sh"))
        .env("PATH", cargo.path())
        .env("MTDB_BIN", env!("CARGO_BIN_EXE_mtdb"))
        .env("MTDB_ADMIN_DATABASE_URL", db.admin_url())
        .env("DATABASE_URL", db.app_url())
        // Port 0: the line that says it listens names the port the OS chose.
        .env("MTDB_LISTEN", "127.0.0.1:0")
        .env("MTDB_LOG_FORMAT", "json")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .kill_on_drop(true)
        .spawn()
        .expect("start run.sh");
    let mut lines = BufReader::new(child.stdout.take().expect("stdout")).lines();
    let first = tokio::time::timeout(GUARD, lines.next_line())
        .await
        .expect("a first line")
        .expect("read it");
    let base = first
        .as_deref()
        .and_then(|line| line.strip_prefix("mtdb is listening on "))
        .unwrap_or_else(|| panic!("not the listening line: {first:?}"))
        .to_owned();
    // The tokens work against the server that said so.
    let token = tokio::time::timeout(GUARD, async {
        while let Some(line) = lines.next_line().await.expect("read") {
            if let Some(rest) = line.split("Bearer ").nth(1) {
                return rest.split('\'').next().map(str::to_owned);
            }
        }
        None
    })
    .await
    .expect("the tokens came")
    .expect("a token");
    let answer = reqwest::Client::new()
        .get(format!("{base}/api/v1/tenants"))
        .bearer_auth(token)
        .send()
        .await
        .expect("an answer");
    assert_eq!(answer.status(), 200);
    // The script is the server now (it exec'd): TERM stops it cleanly.
    let pid = child.id().expect("running");
    let sent = std::process::Command::new("sh")
        .args(["-c", &format!("kill -TERM {pid}")])
        .status();
    assert!(sent.expect("kill").success());
    let status = tokio::time::timeout(GUARD, child.wait())
        .await
        .expect("it stopped")
        .expect("its status");
    assert!(status.success(), "{status}");
}
