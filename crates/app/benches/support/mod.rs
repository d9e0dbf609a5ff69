//! What the in-process bench scenarios share: the demo data behind the real server, on a
//! fresh database of the project-local PostgreSQL, and a token to ask it as HSBC.

use std::error::Error;
use std::time::Duration;

use mtdb_app::config::ServeSettings;
use mtdb_app::startup::Application;
use mtdb_domain::{Principal, TenantId};
use mtdb_testing::TestDatabase;

const SECRET: &[u8] = b"a-benchmark-secret-of-at-least-32-bytes!";
pub const HSBC: &str = "00000000-0000-4000-8000-000000000001";

/// The seeded demo served on a random port; drop the database with [`Demo::stop`].
pub struct Demo {
    /// `http://127.0.0.1:<port>`
    pub base: String,
    db: TestDatabase,
}

impl Demo {
    pub async fn start() -> Result<Self, Box<dyn Error>> {
        let db = TestDatabase::create().await;
        mtdb_postgres_admin::seed_demo(db.admin_url()).await?;
        let app = Application::build(ServeSettings::ephemeral(db.app_url(), SECRET)?).await?;
        let base = format!("http://127.0.0.1:{}", app.port());
        tokio::spawn(app.run_until_stopped());
        Ok(Self { base, db })
    }

    /// A token acting as HSBC, valid for the run.
    pub fn hsbc_token(&self) -> Result<String, Box<dyn Error>> {
        let principal = Principal::Tenant(HSBC.parse::<TenantId>()?);
        let hour = Duration::from_secs(3600);
        Ok(mtdb_http::issue_hs256_token(
            SECRET, principal, "bench", hour, None, None,
        )?)
    }

    pub async fn stop(self) {
        self.db.drop_database().await;
    }
}
