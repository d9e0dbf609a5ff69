//! `mtdb check`, the real binary: exit 0 on a clean database, 1 with findings (one line
//! each, or JSON), 2 when it cannot check; and `mtdb serve`'s refusal of what it finds.

use std::process::Output;

use mtdb_app::config::ServeSettings;
use mtdb_app::startup::Application;
use mtdb_testing::{TestDatabase, ThrowawayLogin};
use serde_json::Value;
use tokio::process::Command;

use crate::helpers::SECRET;

/// Runs `mtdb check` with `database_url` (none: unset) and `args`, away from any `.env`.
async fn mtdb_check(database_url: Option<&str>, args: &[&str]) -> Output {
    let mut command = Command::new(env!("CARGO_BIN_EXE_mtdb"));
    command
        .arg("check")
        .args(args)
        .current_dir(std::env::temp_dir())
        .env("RUST_LOG", "warn")
        .env_remove("MTDB_DB_POOL_TIMEOUT_MS");
    match database_url {
        Some(url) => command.env("DATABASE_URL", url),
        None => command.env_remove("DATABASE_URL"),
    };
    command.output().await.expect("run mtdb check")
}

fn stdout(output: &Output) -> String {
    String::from_utf8(output.stdout.clone()).expect("UTF-8")
}

async fn owner_runs(db: &TestDatabase, sql: &str) {
    let (client, connection) = tokio_postgres::connect(db.admin_url(), tokio_postgres::NoTls)
        .await
        .expect("connect as the owner");
    tokio::spawn(connection);
    client.batch_execute(sql).await.expect("owner SQL");
}

#[tokio::test]
async fn check_exits_0_on_a_clean_database_and_1_naming_an_unprotected_table() {
    let db = TestDatabase::create().await;
    let clean = mtdb_check(Some(db.app_url()), &[]).await;
    assert_eq!(clean.status.code(), Some(0), "{clean:?}");
    assert_eq!(stdout(&clean), "");

    owner_runs(
        &db,
        "create table ledger (tenant_id uuid not null, amount numeric not null); \
         grant select, insert on ledger to mtdb_tenant;",
    )
    .await;
    let found = mtdb_check(Some(db.app_url()), &[]).await;
    assert_eq!(found.status.code(), Some(1), "{found:?}");
    let lines: Vec<String> = stdout(&found).lines().map(str::to_owned).collect();
    assert_eq!(
        lines,
        vec![
            "rls_disabled table public.ledger: is reachable by an application role without \
             row level security; fix: alter table public.ledger enable row level security",
            "rls_not_forced table public.ledger: does not force row level security on its \
             owner; fix: alter table public.ledger force row level security",
            "missing_policy table public.ledger: role mtdb_tenant holds privileges on it but \
             no policy is scoped to it; fix: create policy ... on public.ledger to mtdb_tenant \
             using (...), or revoke all on public.ledger from mtdb_tenant",
        ]
    );

    let json = mtdb_check(Some(db.app_url()), &["--json"]).await;
    assert_eq!(json.status.code(), Some(1));
    let document: Value = serde_json::from_str(&stdout(&json)).expect("one JSON document");
    assert_eq!(document["clean"], false);
    let kinds: Vec<(&str, &str)> = document["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .map(|f| (f["kind"].as_str().unwrap(), f["object"].as_str().unwrap()))
        .collect();
    assert_eq!(
        kinds,
        vec![
            ("rls_disabled", "table public.ledger"),
            ("rls_not_forced", "table public.ledger"),
            ("missing_policy", "table public.ledger"),
        ]
    );
    assert_eq!(
        document["findings"][0]["fix"],
        "alter table public.ledger enable row level security"
    );

    owner_runs(
        &db,
        "alter table ledger enable row level security, force row level security; \
         create policy ledger_tenant on ledger to mtdb_tenant \
           using (tenant_id = (select mtdb_current_tenant_id()));",
    )
    .await;
    let fixed = mtdb_check(Some(db.app_url()), &["--json"]).await;
    assert_eq!(fixed.status.code(), Some(0), "{fixed:?}");
    let document: Value = serde_json::from_str(&stdout(&fixed)).expect("one JSON document");
    assert_eq!(document, serde_json::json!({"clean": true, "findings": []}));
}

#[tokio::test]
async fn check_exits_2_when_it_cannot_check() {
    // Nothing listens on port 1; a URL that does not parse; no URL at all.
    let refused = mtdb_check(Some("postgres://mtdb_app:x@127.0.0.1:1/mtdb"), &[]).await;
    let malformed = mtdb_check(Some("postgres://no:such:thing@/"), &["--json"]).await;
    let unset = mtdb_check(None, &[]).await;
    for output in [refused, malformed, unset] {
        assert_eq!(output.status.code(), Some(2), "{output:?}");
        assert_eq!(stdout(&output), "");
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(stderr.contains("could not be checked"), "{stderr}");
    }
}

/// What `mtdb serve` says when its start-up check refuses `url`.
async fn serve_refusal(url: &str) -> String {
    match Application::build(ServeSettings::ephemeral(url, SECRET).expect("a URL")).await {
        Ok(_) => panic!("serve started"),
        Err(e) => e.to_string(),
    }
}

#[tokio::test]
async fn serve_refuses_a_login_role_whose_sessions_default_to_the_platform_admin() {
    // The attack: the login role needs no privilege to give itself this default, and
    // every new pooled session then runs as the platform admin.
    let db = TestDatabase::create().await;
    let login = ThrowawayLogin::create(&db, "").await;
    login
        .client()
        .await
        .batch_execute(&format!(
            "alter role {} set role = 'mtdb_platform_admin'",
            login.name()
        ))
        .await
        .expect("alter role ... set role");
    let refusal = serve_refusal(login.url()).await;
    let check = mtdb_check(Some(login.url()), &[]).await;
    login.drop_role().await;
    assert!(
        refusal.contains("refusing to serve")
            && refusal.contains("has a default for role, applied to every new session"),
        "{refusal}"
    );
    assert_eq!(check.status.code(), Some(1));
    assert!(stdout(&check).starts_with("forbidden_default role mtdb_tl_"));
}

#[tokio::test]
async fn serve_refuses_a_login_role_that_is_a_member_of_the_owner() {
    let db = TestDatabase::create().await;
    let login = ThrowawayLogin::create(&db, "").await;
    let config: tokio_postgres::Config = db.admin_url().parse().expect("admin URL");
    let owner = config.get_user().expect("an owner").to_owned();
    owner_runs(&db, &format!("grant {owner} to {}", login.name())).await;
    let refusal = serve_refusal(login.url()).await;
    login.drop_role().await;
    assert!(
        refusal.contains(&format!(
            "is a member of role {owner}, directly or through another role"
        )),
        "{refusal}"
    );
}
