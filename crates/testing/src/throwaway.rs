//! A login role of a test's own. Roles are cluster-wide and tests run concurrently, so a
//! test that breaks a role (its attributes, memberships or defaults) breaks this one,
//! never the shared login role of `DATABASE_URL` or the two switched-to roles.

use tokio_postgres::Client;

use crate::connection_url::ConnectionUrls;
use crate::database::TestDatabase;
use mtdb_postgres_admin::connect;

/// A login role `mtdb_tl_<random>` set up as `mtdb migrate` sets up the real one
/// (`NOINHERIT`, a member of `mtdb_tenant` and `mtdb_platform_admin`, `CONNECT` on the
/// test database), plus whatever `attributes` the test asks for (`inherit` among them
/// replaces `noinherit`). Dropped with [`drop_role`](Self::drop_role), or on `Drop`
/// should the test panic first.
pub struct ThrowawayLogin {
    name: String,
    url: String,
    admin_url: String,
    database: String,
    dropped: bool,
}

impl ThrowawayLogin {
    /// # Panics
    /// When the role cannot be created: the test cannot run without it.
    pub async fn create(db: &TestDatabase, attributes: &str) -> Self {
        let login = Self::reserve(db);
        let name = login.name.clone();
        let owner = connect(db.admin_url(), "admin")
            .await
            .unwrap_or_else(|e| panic!("connecting as the owner: {e:?}"));
        let inherit = if attributes.contains("inherit") {
            ""
        } else {
            "noinherit"
        };
        // Names of our own making: safe to splice.
        owner
            .batch_execute(&format!(
                "create role {name} login {inherit} {attributes} password 'throwaway'; \
                 grant mtdb_tenant, mtdb_platform_admin to {name}; \
                 grant connect on database {db} to {name};",
                db = db.name()
            ))
            .await
            .unwrap_or_else(|e| panic!("creating role {name}: {e:?}"));
        login
    }

    /// A fresh name and its URL (password `throwaway`), without creating the role: for a
    /// test in which `mtdb migrate` creates it. Dropped as [`create`](Self::create)'s,
    /// which needs the role to exist by then with that password.
    pub fn reserve(db: &TestDatabase) -> Self {
        let name = format!(
            "mtdb_tl_{}",
            &uuid::Uuid::new_v4().simple().to_string()[..16]
        );
        let url = with_credentials(db.app_url(), &name, "throwaway");
        Self {
            name,
            url,
            admin_url: db.admin_url().to_owned(),
            database: db.name().to_owned(),
            dropped: false,
        }
    }

    /// The test database's URL as this role, with another password.
    pub fn url_with_password(&self, password: &str) -> String {
        with_credentials(&self.url, &self.name, password)
    }

    /// The role's generated name: `mtdb_tl_` and 16 random hex digits.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The test database's URL as this role.
    pub fn url(&self) -> &str {
        &self.url
    }

    /// A raw connection as this role.
    ///
    /// # Panics
    /// When it cannot connect.
    pub async fn client(&self) -> Client {
        connect(&self.url, "throwaway")
            .await
            .unwrap_or_else(|e| panic!("connecting as {}: {e:?}", self.name))
    }

    /// Drops the role now. Call it before the test's assertions: a
    /// failing assertion then leaves nothing behind, and the test database can be dropped
    /// (its `with (force)` cannot end this role's sessions).
    ///
    /// # Panics
    /// When the role cannot be dropped.
    pub async fn drop_role(mut self) {
        self.dropped = true;
        if let Err(e) = remove(&self.admin_url, &self.url, &self.database, &self.name).await {
            panic!("dropping role {}: {e}", self.name);
        }
    }
}

impl Drop for ThrowawayLogin {
    fn drop(&mut self) {
        if self.dropped {
            return;
        }
        // As `TestDatabase`'s drop: a thread with a small runtime of its own.
        let (admin_url, url) = (self.admin_url.clone(), self.url.clone());
        let (database, name) = (self.database.clone(), self.name.clone());
        let dropper = std::thread::spawn(move || {
            let result = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .map_err(|e| e.to_string())
                .and_then(|runtime| runtime.block_on(remove(&admin_url, &url, &database, &name)));
            if let Err(e) = result {
                eprintln!("test role {name} left behind: {e}");
            }
        });
        let _ = dropper.join();
    }
}

/// Drops the role without ever making the owner a member of it (concurrent tests would
/// then see their own login roles reach it through the owner): the role itself ends its
/// other sessions and drops what it owns; the owner revokes what it granted, waits for
/// the last session to end (the test database's `drop ... with (force)` could not end it)
/// and drops the role.
async fn remove(admin_url: &str, url: &str, database: &str, name: &str) -> Result<(), String> {
    let first_error = match connect(url, "throwaway").await {
        Ok(client) => client
            .batch_execute(
                "set role none; \
                 select pg_terminate_backend(pid, 5000) from pg_stat_activity \
                  where usename = session_user and pid <> pg_backend_pid(); \
                 drop owned by current_user;",
            )
            .await
            .err()
            .map(|e| format!("cleaning up as itself: {e:?}")),
        Err(e) => Some(format!("connecting as itself: {e:?}")),
    };
    let owner = connect(admin_url, "admin")
        .await
        .map_err(|e| format!("{e:?}"))?;
    for _ in 0..250 {
        let left: i64 = owner
            .query_one(
                "select count(*) from pg_stat_activity where usename = $1",
                &[&name],
            )
            .await
            .and_then(|row| row.try_get(0))
            .map_err(|e| format!("{e:?}"))?;
        if left == 0 {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
    owner
        .batch_execute(&format!(
            "revoke all on database {database} from {name}; \
             revoke all on schema public from {name}; \
             drop role {name};"
        ))
        .await
        .map_err(|e| format!("{e:?}"))?;
    first_error.map_or(Ok(()), Err)
}

/// `url` with another user and password.
fn with_credentials(url: &str, user: &str, password: &str) -> String {
    crate::urls::rendered(&crate::urls::settings(url).with_credentials(user, password))
}

#[cfg(test)]
mod tests {
    use super::with_credentials;
    use mtdb_postgres::ConnectionSettings;

    #[test]
    fn swaps_the_credentials_of_urls() {
        for url in ["postgres://a:b@h:1/d?application_name=y", "host=h dbname=d"] {
            let swapped = ConnectionSettings::parse(&with_credentials(url, "u", "p")).unwrap();
            assert_eq!(swapped.user(), Some("u"));
            assert_eq!(swapped.config().get_password(), Some(&b"p"[..]));
            assert_eq!(swapped.dbname(), Some("d"));
        }
    }
}
