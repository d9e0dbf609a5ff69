//! Test support (feature `testing`): a fresh database per test, migrated by the owner
//! and used through the application's login role, as in production. Never a superuser
//! or the owner where row level security is meant to hold: either would pass every
//! isolation test vacuously.

use std::time::Duration;

use deadpool_postgres::Pool;

use secrecy::ExposeSecret;

use crate::admin::connect;
use crate::{connect_pool, ensure_login_role, migrate_up, ConnectionSettings};

mod cluster;
mod pgbouncer;
mod standby;
mod superuser;
mod throwaway;

pub use pgbouncer::{PgBouncer, PgBouncerSettings, PoolMode};
pub use standby::Standby;
pub use throwaway::ThrowawayLogin;

const ADMIN_ENV: &str = "MTDB_ADMIN_DATABASE_URL";
const APP_ENV: &str = "DATABASE_URL";

/// The repository's own statements, so that tests can `EXPLAIN` exactly what it runs.
pub mod statements {
    pub use crate::repository::sql::{
        CALL_FIND_AS_ADMIN, CALL_FIND_AS_TENANT, COUNT, COUNT_AS_ADMIN, COUNT_LIVE_SUBSIDIARIES,
        FIND_AS_ADMIN, FIND_AS_TENANT, LOCK_FOR_SHARE, LOCK_FOR_UPDATE, PAGE,
    };
}

/// Every statement the repository may run unnamed (`MTDB_DB_STATEMENTS`), with the
/// parameters' types it declares for it: a test compares them with the server's.
pub fn typed_statements() -> Vec<(&'static str, Vec<tokio_postgres::types::Type>)> {
    crate::repository::typed_statements()
}

/// Whether the repository would run named statements on this pooled connection: what
/// `MTDB_DB_STATEMENTS` (`auto`: the pooler check) decided for it when it was opened.
pub fn names_statements(connection: &deadpool_postgres::Object) -> bool {
    crate::statement::allows_named(connection)
}

/// A database of its own for one test, dropped when this value drops.
pub struct TestDatabase {
    name: String,
    base_admin_url: String,
    base_app_url: String,
    admin_url: String,
    app_url: String,
    pool: Pool,
    dropped: bool,
}

impl TestDatabase {
    /// Creates `mtdb_test_<uuid>`, migrates it, provisions the login role and opens a
    /// pool of 4 connections as that role.
    ///
    /// # Panics
    /// When `MTDB_ADMIN_DATABASE_URL` or `DATABASE_URL` is unset (run the tests with
    /// `make test`), or anything in the setup fails: a test without its database must
    /// fail, not skip.
    pub async fn create() -> Self {
        Self::with_pool_size(4).await
    }

    /// As [`create`](Self::create), with a pool of `size` connections.
    pub async fn with_pool_size(size: usize) -> Self {
        let base_admin_url = env(ADMIN_ENV);
        let base_app_url = env(APP_ENV);
        let name = format!("mtdb_test_{}", uuid::Uuid::new_v4().simple());

        let admin = connect(&base_admin_url, "admin")
            .await
            .unwrap_or_else(|e| panic!("connecting with {ADMIN_ENV}: {e:?}"));
        // A name of our own making: safe to splice.
        admin
            .batch_execute(&format!("create database {name}"))
            .await
            .unwrap_or_else(|e| panic!("creating database {name}: {e:?}"));
        drop(admin);

        let admin_url = with_database(&base_admin_url, &name);
        let app_url = with_database(&base_app_url, &name);
        // Lazy: connects on first use. Built first so that `Self` exists, and drops the
        // database, should the setup below panic.
        let pool = connect_pool(&app_url, size, Duration::from_secs(5))
            .unwrap_or_else(|e| panic!("building the pool: {e:?}"));
        let db = Self {
            name,
            base_admin_url,
            base_app_url,
            admin_url,
            app_url,
            pool,
            dropped: false,
        };
        migrate_up(&db.admin_url)
            .await
            .unwrap_or_else(|e| panic!("migrating {}: {e:?}", db.name));
        ensure_login_role(&db.admin_url, &db.app_url)
            .await
            .unwrap_or_else(|e| panic!("provisioning the login role: {e:?}"));
        db
    }

    /// The database's generated name: `mtdb_test_` and a random UUID.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The owner's URL for this database: for migrations, seeding and arranging tests.
    pub fn admin_url(&self) -> &str {
        &self.admin_url
    }

    /// The application login role's URL for this database.
    pub fn app_url(&self) -> &str {
        &self.app_url
    }

    /// A pool connected as the application login role.
    pub fn pool(&self) -> &Pool {
        &self.pool
    }

    /// Drops the database now, terminating its connections.
    pub async fn drop_database(mut self) {
        self.pool.close();
        drop_database(&self.base_admin_url, &self.base_app_url, &self.name).await;
        self.dropped = true;
    }
}

impl Drop for TestDatabase {
    fn drop(&mut self) {
        if self.dropped {
            return;
        }
        self.pool.close();
        // `Drop` cannot await, and may run inside (or outside) a runtime: a thread with a
        // small runtime of its own drops the database, and we wait for it.
        let (admin_url, app_url) = (self.base_admin_url.clone(), self.base_app_url.clone());
        let name = self.name.clone();
        let dropper =
            std::thread::spawn(move || {
                match tokio::runtime::Builder::new_current_thread()
                    .enable_all()
                    .build()
                {
                    Ok(runtime) => runtime.block_on(drop_database(&admin_url, &app_url, &name)),
                    Err(e) => eprintln!("test database {name} left behind: {e}"),
                }
            });
        let _ = dropper.join();
    }
}

/// Drops the database even while the test's connections are still open (a `Drop` may
/// run before the runtime that owns them gets to close them). `with (force)` may only
/// terminate sessions of roles the owner is a member of, so the login role first ends
/// its own sessions, waiting for each to be gone.
async fn drop_database(admin_url: &str, app_url: &str, name: &str) {
    let mut last_error = String::new();
    for _ in 0..3 {
        match try_drop_database(admin_url, app_url, name).await {
            Ok(()) => return,
            Err(e) => last_error = e,
        }
    }
    eprintln!("test database {name} left behind: {last_error}");
}

async fn try_drop_database(admin_url: &str, app_url: &str, name: &str) -> Result<(), String> {
    let app = connect(app_url, "application")
        .await
        .map_err(|e| format!("{e:?}"))?;
    app.execute(
        "select pg_terminate_backend(pid, 5000) from pg_stat_activity \
         where datname = $1 and usename = current_user and pid <> pg_backend_pid()",
        &[&name],
    )
    .await
    .map_err(|e| format!("{e:?}"))?;
    let admin = connect(admin_url, "admin")
        .await
        .map_err(|e| format!("{e:?}"))?;
    // A name of our own making: safe to splice.
    admin
        .batch_execute(&format!("drop database if exists {name} with (force)"))
        .await
        .map_err(|e| format!("{e:?}"))
}

fn env(key: &str) -> String {
    match std::env::var(key) {
        Ok(value) if !value.is_empty() => value,
        _ => panic!(
            "{key} is not set: these tests need PostgreSQL. Run them with `make test` \
             (or `scripts/pg-local.sh start` and export the URLs it prints)"
        ),
    }
}

/// `url` pointing at database `name` instead of its own, as a `postgres://` URL (a
/// `key=value` string comes back as a URL too). Built through [`ConnectionSettings`]: no
/// surgery on the string.
///
/// # Panics
/// For a string that is not a connection string.
pub fn with_database(url: &str, name: &str) -> String {
    rendered(&settings(url).with_dbname(name))
}

/// `url` pointing at `address` instead of its own host and port, credentials, database
/// and parameters kept: to route a test's connections through a proxy.
///
/// # Panics
/// For a string that is not a connection string.
pub fn with_address(url: &str, address: std::net::SocketAddr) -> String {
    rendered(&settings(url).with_address(address))
}

fn settings(url: &str) -> ConnectionSettings {
    ConnectionSettings::parse(url).unwrap_or_else(|e| panic!("invalid connection string: {e}"))
}

/// The URL with its password, which tests hand to the binary and to raw connections.
fn rendered(settings: &ConnectionSettings) -> String {
    settings.to_url().expose_secret().to_owned()
}

/// A port of 127.0.0.1 nobody listens on now (for the processes the tests start: PgBouncer,
/// a standby). Another process could take it before ours binds it: PgBouncer's launcher
/// then tries another port; a standby that fails to start fails its test, saying why.
fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|listener| listener.local_addr())
        .map(|address| address.port())
        .unwrap_or_else(|e| panic!("finding a free port: {e}"))
}

#[cfg(test)]
mod tests {
    use super::{settings, with_address, with_database};

    #[test]
    fn swaps_the_database_of_urls_and_key_value_strings() {
        for url in [
            "postgres://u:p@h:5432/mtdb",
            "postgres://u:p@h:5432/mtdb?sslmode=disable",
            "postgresql://u@h?application_name=a",
            "host=h user=u password=p dbname=mtdb",
        ] {
            let swapped = settings(&with_database(url, "x"));
            let original = settings(url);
            assert_eq!(swapped.dbname(), Some("x"), "{url}");
            assert_eq!(swapped.user(), original.user(), "{url}");
            assert_eq!(
                swapped.config().get_password(),
                original.config().get_password()
            );
            assert_eq!(
                swapped.config().get_application_name(),
                original.config().get_application_name()
            );
        }
    }

    #[test]
    fn swaps_the_address_of_urls() {
        let via = std::net::SocketAddr::from(([127, 0, 0, 1], 6000));
        let swapped = settings(&with_address("postgres://u:p@h:5432/mtdb", via));
        let config = swapped.config();
        assert_eq!(config.get_ports(), &[6000]);
        assert_eq!(
            config.get_hosts(),
            &[tokio_postgres::config::Host::Tcp("127.0.0.1".into())]
        );
        assert_eq!(
            (swapped.user(), swapped.dbname()),
            (Some("u"), Some("mtdb"))
        );
    }
}
