//! A fresh database per test: created and migrated by the owner, used through the
//! application's login role, dropped when the test ends.

use std::time::Duration;

use deadpool_postgres::Pool;

use mtdb_postgres::connect_pool;
use mtdb_postgres_admin::{connect, ensure_login_role, migrate_up};

use crate::urls::{env, with_database, ADMIN_ENV, APP_ENV};

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
