//! `mtdb seed` and `mtdb token`, the real binary (so that their code is exercised and
//! measured as users run it), and how a failing command reports itself.

use std::process::Output;

use mtdb_testing::TestDatabase;
use reqwest::StatusCode;
use serde_json::Value;
use tokio::process::Command;

use crate::helpers::*;

/// Runs `mtdb <args>` with `envs`, away from any `.env` and from the test's own settings.
async fn mtdb(args: &[&str], envs: &[(&str, &str)]) -> Output {
    let mut command = Command::new(env!("CARGO_BIN_EXE_mtdb"));
    command
        .args(args)
        .current_dir(std::env::temp_dir())
        .env("RUST_LOG", "warn")
        .env_remove("MTDB_ADMIN_DATABASE_URL")
        .env_remove("DATABASE_URL")
        .env_remove("MTDB_JWT_SECRET")
        .envs(envs.iter().copied());
    command.output().await.expect("run mtdb")
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

async fn tenant_count(db: &TestDatabase) -> i64 {
    let (client, connection) = tokio_postgres::connect(db.admin_url(), tokio_postgres::NoTls)
        .await
        .expect("connect as the owner");
    tokio::spawn(connection);
    let row = client
        .query_one("select count(*) from tenants", &[])
        .await
        .expect("count the tenants");
    row.get(0)
}

#[tokio::test]
async fn seed_loads_the_demo_once_and_a_second_run_changes_nothing() {
    let db = TestDatabase::create().await;
    assert_eq!(tenant_count(&db).await, 0);
    let admin = [("MTDB_ADMIN_DATABASE_URL", db.admin_url())];

    let first = mtdb(&["seed"], &admin).await;
    assert_eq!(first.status.code(), Some(0), "{}", stderr(&first));
    let seeded = tenant_count(&db).await;
    assert!(
        seeded >= 5,
        "HSBC, Barclays and their subsidiaries: {seeded}"
    );

    let again = mtdb(&["seed"], &admin).await;
    assert_eq!(again.status.code(), Some(0), "{}", stderr(&again));
    assert_eq!(tenant_count(&db).await, seeded, "the seed is idempotent");
}

#[tokio::test]
async fn seed_without_the_owners_url_names_the_variable() {
    let out = mtdb(&["seed"], &[]).await;
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert!(err.starts_with("error: "), "{err}");
    assert!(err.contains("MTDB_ADMIN_DATABASE_URL"), "{err}");
}

/// A token printed by `mtdb token --tenant` is accepted by the server sharing its secret
/// and acts as that tenant: HSBC's tree, never Barclays.
#[tokio::test]
async fn token_prints_a_token_the_server_accepts_as_that_tenant() {
    let app = TestApp::spawn().await;
    let secret = std::str::from_utf8(SECRET).expect("an ASCII secret");
    let out = mtdb(
        &["token", "--tenant", HSBC, "--sub", "alice", "--ttl", "5m"],
        &[("MTDB_JWT_SECRET", secret)],
    )
    .await;
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let token = String::from_utf8(out.stdout).expect("UTF-8");
    let token = token.trim();
    assert_eq!(token.split('.').count(), 3, "a JWT: {token}");

    let listed = app
        .client
        .get(app.url("/api/v1/tenants"))
        .bearer_auth(token)
        .send()
        .await
        .expect("GET");
    assert_eq!(listed.status(), StatusCode::OK);
    let page: Value = listed.json().await.expect("JSON");
    let text = page.to_string();
    assert!(text.contains(HSBC_HK), "HSBC sees its subsidiary: {text}");
    assert!(!text.contains(BARCLAYS), "HSBC never sees Barclays: {text}");

    let forged = mtdb(
        &["token", "--platform-admin"],
        &[(
            "MTDB_JWT_SECRET",
            "another-secret-of-at-least-32-bytes-long",
        )],
    )
    .await;
    assert_eq!(forged.status.code(), Some(0), "{}", stderr(&forged));
    let forged = String::from_utf8(forged.stdout).expect("UTF-8");
    let refused = app
        .client
        .get(app.url("/api/v1/tenants"))
        .bearer_auth(forged.trim())
        .send()
        .await
        .expect("GET");
    assert_eq!(
        refused.status(),
        StatusCode::UNAUTHORIZED,
        "another secret's token"
    );
}

#[tokio::test]
async fn token_refuses_a_missing_or_short_secret_and_says_why() {
    let missing = mtdb(&["token", "--platform-admin"], &[]).await;
    assert_eq!(missing.status.code(), Some(1));
    assert!(
        stderr(&missing).contains("MTDB_JWT_SECRET"),
        "{}",
        stderr(&missing)
    );
    assert!(missing.stdout.is_empty(), "no token printed");

    let short = mtdb(
        &["token", "--platform-admin"],
        &[("MTDB_JWT_SECRET", "short")],
    )
    .await;
    assert_eq!(short.status.code(), Some(1));
    assert!(stderr(&short).contains("32"), "{}", stderr(&short));
    assert!(short.stdout.is_empty(), "no token printed");
}

/// A command that cannot reach its database exits 1 with one `error:` report on stderr
/// (the cause chain printer of `main`), never a panic.
#[tokio::test]
async fn migrate_with_a_wrong_password_exits_1_with_an_error_report() {
    let db = TestDatabase::create().await;
    let wrong = with_password(db.admin_url(), "not-the-password");
    let out = mtdb(&["migrate"], &[("MTDB_ADMIN_DATABASE_URL", &wrong)]).await;
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let err = stderr(&out);
    assert!(err.starts_with("error: database"), "{err}");
    assert!(!err.contains("panicked"), "{err}");
    assert!(
        !err.contains("not-the-password"),
        "the password never printed: {err}"
    );
}

/// `postgres://user:password@host...` with another password.
fn with_password(url: &str, password: &str) -> String {
    let (scheme, rest) = url.split_once("://").expect("a URL");
    let (credentials, host) = rest.split_once('@').expect("credentials");
    let user = credentials.split(':').next().expect("a user");
    format!("{scheme}://{user}:{password}@{host}")
}

/// `serve --help` lists every variable the configuration reads, each at the start of a
/// line, so that an operator never has to read the code to find a setting.
#[tokio::test]
async fn serve_help_lists_every_setting_it_reads() {
    let output = mtdb(&["serve", "--help"], &[]).await;
    assert!(output.status.success());
    let help = String::from_utf8_lossy(&output.stdout).into_owned();
    let src = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = vec![src.join("config.rs"), src.join("telemetry.rs")];
    for entry in std::fs::read_dir(src.join("config")).expect("src/config") {
        files.push(entry.expect("an entry").path());
    }
    let sources: Vec<String> = files
        .iter()
        .filter(|path| path.extension().is_some_and(|e| e == "rs"))
        .filter(|path| !path.ends_with("tests.rs"))
        .map(|path| std::fs::read_to_string(path).expect("a source file"))
        .collect();
    let mut read: Vec<&str> = sources
        .iter()
        .flat_map(|source| source.split('"').skip(1).step_by(2))
        .filter(|literal| literal.starts_with("MTDB_") || *literal == "DATABASE_URL")
        .filter(|literal| *literal != "MTDB_ADMIN_DATABASE_URL")
        .collect();
    read.sort_unstable();
    read.dedup();
    assert!(read.len() >= 15, "{read:?}");
    for variable in read {
        let listed = help
            .lines()
            .any(|line| line.trim_start().starts_with(&format!("{variable} ")));
        assert!(listed, "{variable} missing from serve --help:\n{help}");
    }
}
