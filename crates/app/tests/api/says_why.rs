//! Errors that say why, through the real binary: the cause of a failed command, a busy
//! address, one log line per database failure, and logs without colour codes in a file.

use mtdb_testing::ConnectionUrls;
use std::process::{Output, Stdio};

use mtdb_postgres::ConnectionSettings;
use mtdb_postgres_admin::{migrate_down, DataLoss};
use mtdb_testing::TestDatabase;
use secrecy::ExposeSecret;
use serde_json::Value;
use tokio::process::Command;

use crate::helpers::*;
use crate::process::ServerProcess;

/// `mtdb` with `args`, away from any `.env`, with only the given variables of ours.
async fn mtdb(args: &[&str], env: &[(&str, &str)]) -> Output {
    let mut command = Command::new(env!("CARGO_BIN_EXE_mtdb"));
    command
        .args(args)
        .current_dir(std::env::temp_dir())
        .env_remove("DATABASE_URL")
        .env_remove("MTDB_ADMIN_DATABASE_URL")
        .env_remove("MTDB_LISTEN")
        .env_remove("MTDB_METRICS_LISTEN")
        .env("RUST_LOG", "info")
        .env("MTDB_LOG_FORMAT", "json")
        .envs(env.iter().copied())
        .stdin(Stdio::null());
    command.output().await.expect("run mtdb")
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

#[tokio::test]
async fn migrate_with_a_wrong_password_prints_the_servers_reason() {
    let base = std::env::var("MTDB_ADMIN_DATABASE_URL").expect("run with make test");
    let owner = ConnectionSettings::parse(&base).expect("a connection string");
    let user = owner.user().expect("a user").to_owned();
    let wrong = owner.with_credentials(&user, "not-the-password");

    let output = mtdb(
        &["migrate"],
        &[("MTDB_ADMIN_DATABASE_URL", wrong.to_url().expose_secret())],
    )
    .await;

    assert!(!output.status.success());
    let said = stderr(&output);
    assert!(said.contains("password authentication failed"), "{said}");
    assert!(said.contains("MTDB_ADMIN_DATABASE_URL"), "{said}");
    assert!(!said.contains("not-the-password"), "{said}");
}

#[tokio::test]
async fn a_busy_address_is_named_with_its_variable_before_the_database_is_tried() {
    let taken = std::net::TcpListener::bind("127.0.0.1:0").expect("a port");
    let busy = taken.local_addr().expect("its address").to_string();
    for variable in ["MTDB_LISTEN", "MTDB_METRICS_LISTEN"] {
        let mut env = vec![
            ("MTDB_LISTEN", "127.0.0.1:0"),
            // Nothing listens on port 1: had serve gone to the database first, it would
            // fail there and never say a word about the address.
            (
                "DATABASE_URL",
                "postgres://u:p@127.0.0.1:1/db?connect_timeout=1",
            ),
            ("MTDB_JWT_SECRET", "a-secret-of-at-least-thirty-two-bytes!!"),
        ];
        env.push((variable, &busy));

        let output = mtdb(&["serve"], &env).await;

        assert!(!output.status.success());
        let said = stderr(&output);
        assert!(said.contains(&busy), "{said}");
        assert!(said.contains(variable), "{said}");
        assert!(said.to_lowercase().contains("in use"), "{said}");
        assert!(!said.contains("DATABASE_URL"), "{said}");
        assert!(output.stdout.is_empty(), "it never said it listens");
    }
}

#[tokio::test]
async fn pretty_logs_into_a_pipe_carry_no_colour_codes() {
    let db = TestDatabase::create().await;
    let output = mtdb(
        &["migrate"],
        &[
            ("MTDB_ADMIN_DATABASE_URL", db.admin_url()),
            ("MTDB_LOG_FORMAT", "pretty"),
        ],
    )
    .await;

    assert!(output.status.success(), "{}", stderr(&output));
    let said = stderr(&output);
    assert!(said.contains("migrations applied"), "{said}");
    assert!(!said.contains('\u{1b}'), "escape codes in {said:?}");
}

#[tokio::test]
async fn a_database_failure_is_logged_once_in_its_requests_span() {
    let mut server = ServerProcess::start("info", &[]).await;
    // The schema goes away under the running server: every request is now a 503.
    migrate_down(server.db.admin_url(), 0, DataLoss::Allow)
        .await
        .expect("revert every migration");

    let response = reqwest::Client::new()
        .get(format!("{}/api/v1/tenants/{HSBC}", server.base))
        .bearer_auth(token_for(As::Admin))
        .header("x-request-id", "says-why-once")
        .send()
        .await
        .expect("a response");
    assert_eq!(response.status(), 503);

    let mut complaints = Vec::new();
    loop {
        let line: Value = server.until_logged("").await;
        if line["message"] == "request" && line["request_id"] == "says-why-once" {
            break;
        }
        if line["level"] == "WARN" || line["level"] == "ERROR" {
            complaints.push(line);
        }
    }
    assert_eq!(complaints.len(), 1, "{complaints:#?}");
    let line = complaints[0].to_string();
    assert!(line.contains("run `mtdb migrate`"), "{line}");
    assert!(line.contains("says-why-once"), "the request id: {line}");
}

#[tokio::test]
async fn seed_after_the_docs_delete_of_barclays_names_it_and_the_way_out() {
    let app = TestApp::spawn().await;
    // docs/api.md: "As the platform admin, Barclays with its subsidiary".
    let deleted = app.delete(As::Admin, BARCLAYS, "?cascade=true", None).await;
    assert_eq!(deleted.status(), 204);
    let before = app.visible_ids(As::Admin).await;

    let output = mtdb(&["seed"], &[("MTDB_ADMIN_DATABASE_URL", app.admin_url())]).await;

    assert!(!output.status.success());
    let said = stderr(&output);
    for needed in [
        "\"Barclays\"",
        BARCLAYS,
        "soft-deleted",
        "\"Barclays UK\"",
        "make reset",
    ] {
        assert!(said.contains(needed), "{needed:?} missing from: {said}");
    }
    // Nothing half-seeded: the live tenants are those of before.
    assert_eq!(sorted(app.visible_ids(As::Admin).await), sorted(before));
}
