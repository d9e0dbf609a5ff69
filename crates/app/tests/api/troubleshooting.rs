//! Every `mtdb` error that docs/troubleshooting.md quotes, produced by the real binary and
//! compared with the quote: a `...` in the doc stands for text the quote leaves out, and
//! the address of a busy port is written as the doc's `127.0.0.1:8080`.

use std::process::Stdio;

use mtdb_testing::TestDatabase;
use tokio::process::Command;

use crate::helpers::*;

const SECRET: &str = "a-secret-of-at-least-thirty-two-bytes!!";

/// The stderr of `mtdb` with `args`, pretty logs, and only the given variables of ours.
async fn said(args: &[&str], env: &[(&str, &str)]) -> String {
    let mut command = Command::new(env!("CARGO_BIN_EXE_mtdb"));
    for (name, _) in std::env::vars().filter(|(name, _)| name.starts_with("MTDB_")) {
        command.env_remove(name);
    }
    let output = command
        .args(args)
        .current_dir(std::env::temp_dir())
        .env_remove("DATABASE_URL")
        .env("RUST_LOG", "warn")
        .env("MTDB_LOG_FORMAT", "pretty")
        .envs(env.iter().copied())
        .stdin(Stdio::null())
        .output()
        .await
        .expect("run mtdb");
    assert!(!output.status.success(), "{args:?} succeeded");
    String::from_utf8_lossy(&output.stderr).into_owned()
}

/// `postgres://user:password@host...` with another password.
fn with_password(url: &str, password: &str) -> String {
    let (scheme, rest) = url.split_once("://").expect("a URL");
    let (credentials, host) = rest.split_once('@').expect("credentials");
    let user = credentials.split(':').next().expect("a user");
    format!("{scheme}://{user}:{password}@{host}")
}

/// The quoted blocks of the doc that hold an `error:` of `mtdb`.
fn quoted_errors() -> Vec<String> {
    let doc = include_str!("../../../../docs/troubleshooting.md");
    doc.split("```")
        .skip(1)
        .step_by(2)
        .map(|block| block.trim_matches('\n').to_owned())
        .filter(|block| block.starts_with("error:"))
        .collect()
}

/// Whether `output` holds `quote`, its `...` standing for any text.
fn holds(output: &str, quote: &str) -> bool {
    let mut rest = output;
    for piece in quote.split("...") {
        match rest.find(piece) {
            Some(at) => rest = &rest[at + piece.len()..],
            None => return false,
        }
    }
    true
}

#[tokio::test]
async fn every_quoted_error_is_what_the_binary_prints() {
    let mut outputs = Vec::new();
    let db = TestDatabase::create().await;
    // Settings missing or invalid.
    outputs.push(said(&["serve"], &[("DATABASE_URL", db.app_url())]).await);
    let short = [("DATABASE_URL", db.app_url()), ("MTDB_JWT_SECRET", "short")];
    outputs.push(said(&["serve"], &short).await);
    outputs.push(said(&["serve"], &[("MTDB_JWT_SECRET", SECRET)]).await);
    // Wrong passwords, of the login role and of the owner.
    let wrong_app = with_password(db.app_url(), "not-the-password");
    let env = [
        ("DATABASE_URL", wrong_app.as_str()),
        ("MTDB_JWT_SECRET", SECRET),
    ];
    outputs.push(said(&["serve"], &env).await);
    let wrong_admin = with_password(db.admin_url(), "not-the-password");
    let env = [
        ("MTDB_ADMIN_DATABASE_URL", wrong_admin.as_str()),
        ("DATABASE_URL", db.app_url()),
    ];
    outputs.push(said(&["migrate"], &env).await);
    // Serving as the owner.
    let env = [
        ("DATABASE_URL", db.admin_url()),
        ("MTDB_JWT_SECRET", SECRET),
    ];
    outputs.push(said(&["serve"], &env).await);
    // A busy port.
    let taken = std::net::TcpListener::bind("127.0.0.1:0").expect("a port");
    let busy = taken.local_addr().expect("its address").to_string();
    let env = [
        ("MTDB_LISTEN", busy.as_str()),
        ("DATABASE_URL", db.app_url()),
        ("MTDB_JWT_SECRET", SECRET),
    ];
    outputs.push(
        said(&["serve"], &env)
            .await
            .replace(&busy, "127.0.0.1:8080"),
    );
    // A revert that would lose the demo's rows.
    let app = TestApp::spawn().await;
    let env = [("MTDB_ADMIN_DATABASE_URL", app.admin_url())];
    outputs.push(said(&["migrate", "--down-to", "0"], &env).await);
    // A top-level tenant that has the name of the demo's HSBC.
    let fresh = TestDatabase::create().await;
    let fresh_url = fresh.admin_url().to_owned();
    let env = [("MTDB_ADMIN_DATABASE_URL", fresh_url.as_str())];
    let taken_name = TestApp::spawn_on(fresh, |_| {}).await;
    let created = taken_name
        .create(
            As::Admin,
            &serde_json::json!({"name": "hsbc", "tenant_type": "parent"}),
        )
        .await;
    assert_eq!(created.status(), 201);
    outputs.push(said(&["seed"], &env).await);
    // The demo's Barclays deleted, then seeded again.
    let deleted = app.delete(As::Admin, BARCLAYS, "?cascade=true", None).await;
    assert_eq!(deleted.status(), 204);
    let env = [("MTDB_ADMIN_DATABASE_URL", app.admin_url())];
    outputs.push(said(&["seed"], &env).await);

    let quotes = quoted_errors();
    assert!(quotes.len() >= 8, "{quotes:#?}");
    for quote in quotes {
        // One block may quote several runs: each `error:` line starts one, its
        // `caused by:` lines belong to it.
        for message in quote
            .split("\nerror:")
            .map(|m| m.trim_start_matches("error:"))
        {
            assert!(
                outputs.iter().any(|output| holds(output, message)),
                "docs/troubleshooting.md quotes\nerror:{message}\nwhich no run printed:\n{}",
                outputs.join("\n---\n")
            );
        }
    }
}
