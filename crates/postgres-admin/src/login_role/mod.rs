//! Provisioning of the application login role named in `DATABASE_URL`.
//!
//! The login role can do nothing by itself: it is `NOINHERIT`, so the privileges of the
//! two roles granted to it only apply after the per-transaction role switch.

use std::time::Duration;

use tokio_postgres::error::SqlState;
use tokio_postgres::{Client, Transaction};

use secrecy::ExposeSecret;

use crate::admin::{connect, parse_url, AdminError};
use mtdb_postgres::{AsConnection, ConnectionSettings};

mod claim;

use claim::Claim;

/// Roles are cluster-wide: concurrent `mtdb migrate` runs against different databases
/// of one cluster (tests do that) race on the same catalog rows. Such races are retried.
const ATTEMPTS: u32 = 8;

/// Creates the login role of `app_database_url` or brings it back to the required
/// attributes and password, grants it the two switchable roles and `connect` on the
/// admin URL's database. Idempotent. Only ever alters a role it created itself (marked
/// with a comment) or one of exactly that shape (see `claim`).
///
/// The password travels as a SCRAM-SHA-256 verifier computed here, so the clear text
/// reaches neither the server's logs nor `pg_stat_activity`.
///
/// # Errors
/// Bad URLs, an application URL without user or password, or naming the owner itself;
/// [`AdminError::NotOurRole`] for an existing role mtdb did not create (nothing is
/// changed); and any database failure that outlives the retries.
pub async fn ensure_login_role(
    admin: &(impl AsConnection + ?Sized),
    app_database: &(impl AsConnection + ?Sized),
) -> Result<(), AdminError> {
    let app = parse_url(app_database, "application")?;
    let (login, password) = credentials(&app)?;
    let verifier = postgres_protocol::password::scram_sha_256(password);
    let mut client = connect(admin, "admin").await?;

    let mut attempt = 1;
    loop {
        match provision(&mut client, login, &verifier).await {
            Err(e) if attempt < ATTEMPTS && is_race(&e) => {
                tracing::debug!(attempt, error = %e, "role provisioning raced; retrying");
                tokio::time::sleep(backoff(attempt)).await;
                attempt += 1;
            }
            other => return other,
        }
    }
}

/// Everything [`ensure_login_role`] would refuse, checked without changing anything:
/// `mtdb migrate` runs it before applying any migration, so that a refused role leaves
/// the database as it was.
///
/// # Errors
/// As [`ensure_login_role`], without the retries.
pub async fn check_login_role(
    admin: &(impl AsConnection + ?Sized),
    app_database: &(impl AsConnection + ?Sized),
) -> Result<(), AdminError> {
    let app = parse_url(app_database, "application")?;
    let (login, _) = credentials(&app)?;
    let mut client = connect(admin, "admin").await?;
    refuse_owner(&client, login).await?;
    let tx = client
        .build_transaction()
        .read_only(true)
        .start()
        .await
        .map_err(AdminError::db("starting the login role check"))?;
    claim::claim(&tx, login).await?;
    refuse_unfixable(&tx, login).await
}

fn credentials(app: &ConnectionSettings) -> Result<(&str, &[u8]), AdminError> {
    match (app.user(), app.password()) {
        (Some(login), Some(password)) => Ok((login, password.expose_secret())),
        _ => Err(AdminError::MissingCredentials),
    }
}

async fn refuse_owner(client: &Client, login: &str) -> Result<(), AdminError> {
    let owner: String = client
        .query_one("select session_user::text", &[])
        .await
        .and_then(|row| row.try_get(0))
        .map_err(AdminError::db("reading the owner role"))?;
    if owner == login {
        return Err(AdminError::LoginIsOwner(owner));
    }
    Ok(())
}

async fn provision(client: &mut Client, login: &str, verifier: &str) -> Result<(), AdminError> {
    refuse_owner(client, login).await?;
    // All of it or none, the ownership check included: a failure (a lost race, a role
    // that is not ours) rolls back when `tx` drops.
    let tx = client
        .transaction()
        .await
        .map_err(AdminError::db("starting the login role transaction"))?;
    let claim = claim::claim(&tx, login).await?;
    if claim == Claim::Adoptable {
        tracing::warn!(
            role = login,
            "adopting an unmarked login role that has exactly the shape mtdb gives its own \
             (made by an earlier mtdb migrate): marking it as mtdb's"
        );
    }
    refuse_unfixable(&tx, login).await?;
    let (create_or_alter, attributes) = if claim == Claim::Absent {
        ("create", CREATE_ATTRIBUTES)
    } else {
        ("alter", ALTER_ATTRIBUTES)
    };
    // The server quotes: `%I` an identifier, `%L` a literal.
    let row = tx
        .query_one(
            &format!(
                "select format('{create_or_alter} role %I with ' || $3 || ' password %L',
                               $1::text, $2::text),
                        format('comment on role %I is %L', $1::text, $4::text),
                        format('grant mtdb_tenant, mtdb_platform_admin to %I', $1::text),
                        format('grant connect on database %I to %I', current_database(), $1::text)"
            ),
            &[&login, &verifier, &attributes, &claim::MARKER],
        )
        .await
        .map_err(AdminError::db("preparing the login role statements"))?;
    let script = (0..4)
        .map(|i| row.try_get::<_, String>(i))
        .collect::<Result<Vec<_>, _>>()
        .map_err(AdminError::db("preparing the login role statements"))?
        .join(";\n");
    tx.batch_execute(&script)
        .await
        .map_err(AdminError::db("creating or altering the login role"))?;
    tx.commit()
        .await
        .map_err(AdminError::db("committing the login role"))
}

/// Everything docs/security.md (section 1) requires of the login role.
const CREATE_ATTRIBUTES: &str =
    "login noinherit nosuperuser nobypassrls nocreatedb nocreaterole noreplication";

/// What a `CREATEROLE` owner may alter. Naming `SUPERUSER`, `BYPASSRLS` or `REPLICATION`
/// at all in `ALTER ROLE` takes a superuser, even to turn them off: those are checked
/// by [`refuse_unfixable`] instead.
const ALTER_ATTRIBUTES: &str = "login noinherit nocreatedb nocreaterole";

/// An existing login role with attributes only a superuser can remove: say so, rather
/// than leave a role that bypasses row level security.
async fn refuse_unfixable(client: &Transaction<'_>, login: &str) -> Result<(), AdminError> {
    let row = client
        .query_opt(
            "select rolsuper, rolbypassrls, rolreplication from pg_catalog.pg_roles \
             where rolname = $1",
            &[&login],
        )
        .await
        .map_err(AdminError::db("reading the login role"))?;
    let Some(row) = row else { return Ok(()) };
    let flags: [(usize, &'static str); 3] =
        [(0, "SUPERUSER"), (1, "BYPASSRLS"), (2, "REPLICATION")];
    for (column, attribute) in flags {
        let set: bool = row
            .try_get(column)
            .map_err(AdminError::db("reading the login role"))?;
        if set {
            return Err(AdminError::UnsafeLoginRole {
                role: login.to_owned(),
                attribute,
            });
        }
    }
    Ok(())
}

fn is_race(e: &AdminError) -> bool {
    e.sql_state().is_some_and(|code| {
        code == SqlState::INTERNAL_ERROR // "tuple concurrently updated"
            || code == SqlState::DUPLICATE_OBJECT
            || code == SqlState::UNIQUE_VIOLATION
            || code == SqlState::T_R_SERIALIZATION_FAILURE
    })
}

fn backoff(attempt: u32) -> Duration {
    // Spread the racers apart a little; no need for a random source.
    let jitter = u64::from(std::process::id() % 17);
    Duration::from_millis(u64::from(attempt) * 25 + jitter)
}
