//! `mtdb migrate`, the real binary, and the login role named in `DATABASE_URL`: it only
//! ever manages a role it created (docs/security.md, "Whose login role").

use std::process::Output;

use mtdb_postgres_admin::migrate_down_to;
use mtdb_testing::{TestDatabase, ThrowawayLogin};
use tokio::process::Command;
use tokio_postgres::NoTls;

/// Runs `mtdb migrate` as `db`'s owner with `database_url`, away from any `.env`.
pub async fn mtdb_migrate(db: &TestDatabase, database_url: &str, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_mtdb"))
        .arg("migrate")
        .args(args)
        .current_dir(std::env::temp_dir())
        .env("RUST_LOG", "warn")
        .env("MTDB_ADMIN_DATABASE_URL", db.admin_url())
        .env("DATABASE_URL", database_url)
        .output()
        .await
        .expect("run mtdb migrate")
}

pub fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

/// Whether `url` can log in.
async fn logs_in(url: &str) -> bool {
    match tokio_postgres::connect(url, NoTls).await {
        Ok((client, connection)) => {
            let connection = tokio::spawn(connection);
            drop(client);
            let _ = connection.await;
            true
        }
        Err(_) => false,
    }
}

/// The role's attributes, memberships and comment, as the owner reads them.
async fn role_state(db: &TestDatabase, role: &str) -> String {
    let (client, connection) = tokio_postgres::connect(db.admin_url(), NoTls)
        .await
        .expect("connect as the owner");
    tokio::spawn(connection);
    client
        .query_one(
            "select format('inherit=%s createrole=%s createdb=%s member of %s comment %s',
                    r.rolinherit::text, r.rolcreaterole::text, r.rolcreatedb::text,
                    (select string_agg(g.rolname, ',' order by g.rolname)
                       from pg_auth_members m join pg_roles g on g.oid = m.roleid
                      where m.member = r.oid),
                    coalesce(shobj_description(r.oid, 'pg_authid'), '-'))
               from pg_roles r where r.rolname = $1",
            &[&role],
        )
        .await
        .expect("read the role")
        .get(0)
}

async fn schema_present(db: &TestDatabase) -> bool {
    let (client, connection) = tokio_postgres::connect(db.admin_url(), NoTls)
        .await
        .expect("connect as the owner");
    tokio::spawn(connection);
    client
        .query_one("select to_regclass('tenants') is not null", &[])
        .await
        .expect("look the table up")
        .get(0)
}

#[tokio::test]
async fn migrate_refuses_to_take_over_an_existing_role_it_did_not_create() {
    // The attack (by mistake): DATABASE_URL names a DBA's role, with a mistyped password.
    let db = TestDatabase::create().await;
    migrate_down_to(db.admin_url(), 0)
        .await
        .expect("an empty database");
    let dba = ThrowawayLogin::create(&db, "inherit createrole createdb").await;
    let before = role_state(&db, dba.name()).await;

    let output = mtdb_migrate(&db, &dba.url_with_password("typo"), &[]).await;

    let after = role_state(&db, dba.name()).await;
    let migrated = schema_present(&db).await;
    let old_password_works = logs_in(dba.url()).await;
    let typo_works = logs_in(&dba.url_with_password("typo")).await;
    dba.drop_role().await;
    assert_ne!(output.status.code(), Some(0), "{output:?}");
    let message = stderr(&output);
    assert!(
        message.contains("was not created by mtdb migrate"),
        "{message}"
    );
    assert!(message.contains("it has CREATEROLE"), "{message}");
    assert!(message.contains("nothing was changed"), "{message}");
    assert!(message.contains("COMMENT ON ROLE mtdb_tl_"), "{message}");
    assert!(before.starts_with("inherit=true createrole=true createdb=true"));
    assert_eq!(after, before);
    assert!(old_password_works && !typo_works);
    assert!(!migrated, "no migration applied either");
}

#[tokio::test]
async fn a_role_migrate_created_is_marked_and_reprovisioned_with_the_new_password() {
    let db = TestDatabase::create().await;
    let login = ThrowawayLogin::reserve(&db);

    let created = mtdb_migrate(&db, &login.url_with_password("first"), &[]).await;
    let first_works = logs_in(&login.url_with_password("first")).await;
    let state = role_state(&db, login.name()).await;
    let again = mtdb_migrate(&db, login.url(), &[]).await;
    let first_still_works = logs_in(&login.url_with_password("first")).await;
    let second_works = logs_in(login.url()).await;
    let state_again = role_state(&db, login.name()).await;
    login.drop_role().await;

    assert_eq!(created.status.code(), Some(0), "{created:?}");
    assert_eq!(again.status.code(), Some(0), "{again:?}");
    assert!(first_works && second_works && !first_still_works);
    assert_eq!(
        state,
        "inherit=false createrole=false createdb=false \
         member of mtdb_platform_admin,mtdb_tenant \
         comment mtdb application login role, managed by mtdb migrate"
    );
    assert_eq!(state_again, state);
}

#[tokio::test]
async fn an_unmarked_role_of_exactly_mtdbs_shape_is_adopted_and_marked() {
    // What an earlier mtdb migrate, which did not mark its roles, left behind.
    let db = TestDatabase::create().await;
    let login = ThrowawayLogin::create(&db, "").await;

    let adopted = mtdb_migrate(&db, &login.url_with_password("second"), &[]).await;
    let second_works = logs_in(&login.url_with_password("second")).await;
    let state = role_state(&db, login.name()).await;
    let back = mtdb_migrate(&db, login.url(), &[]).await;
    login.drop_role().await;

    assert_eq!(adopted.status.code(), Some(0), "{adopted:?}");
    assert_eq!(back.status.code(), Some(0), "{back:?}");
    assert!(second_works);
    assert!(
        state.ends_with("comment mtdb application login role, managed by mtdb migrate"),
        "{state}"
    );
}
