//! Several real `mtdb serve` processes behind one real PgBouncer in transaction mode, over
//! one seeded test database, as docs/scaling.md deploys them: the server pool is smaller
//! than the connections the instances' pools open, so consecutive transactions of one
//! instance's connection run on different server connections, shared with the others.

mod race;
mod scope;
mod traffic;

use mtdb_testing::{PgBouncer, PgBouncerSettings, TestDatabase};
use tokio::io::{BufReader, Lines};
use tokio::process::{Child, ChildStderr};
use tokio::task::JoinHandle;
use tokio_postgres::{Client, NoTls};

use crate::process::spawn_serve;

/// Each instance's pool (`MTDB_DB_POOL_SIZE`); the reserve (4) comes on top.
const INSTANCE_POOL: &str = "4";

/// Declared in drop order: the servers stop first, then the pooler, then the database.
pub struct Fleet {
    instances: Vec<Instance>,
    bouncer: PgBouncer,
    db: TestDatabase,
    pub client: reqwest::Client,
}

struct Instance {
    base: String,
    _child: Child,
    _drain: JoinHandle<()>,
}

impl Fleet {
    /// A seeded database, PgBouncer (transaction mode, `server_pool` server connections)
    /// in front of it, and `count` instances of `mtdb serve` connected through it.
    pub async fn start(count: usize, server_pool: usize) -> Self {
        let db = TestDatabase::create().await;
        mtdb_postgres_admin::seed_demo(db.admin_url())
            .await
            .expect("seed");
        let settings = PgBouncerSettings::transaction(&[db.app_url()], server_pool);
        let bouncer = tokio::task::spawn_blocking(move || PgBouncer::start(&settings))
            .await
            .expect("PgBouncer started");
        let pooled = bouncer.url_for(db.app_url());
        let mut instances = Vec::with_capacity(count);
        for _ in 0..count {
            instances.push(Instance::start(&pooled).await);
        }
        Self {
            instances,
            bouncer,
            db,
            client: reqwest::Client::new(),
        }
    }

    /// Every instance's `http://127.0.0.1:<port>`.
    pub fn bases(&self) -> Vec<String> {
        self.instances.iter().map(|i| i.base.clone()).collect()
    }

    /// The base of the instance that request number `n` goes to: round-robin.
    pub fn base(&self, n: usize) -> &str {
        &self.instances[n % self.instances.len()].base
    }

    /// PgBouncer's log, for a failing test's message.
    pub fn pooler_log(&self) -> String {
        self.bouncer.log()
    }

    /// A connection straight to PostgreSQL (not through the pooler) as the login role:
    /// to read back what the instances acknowledged. The owner cannot: row level
    /// security is forced on the tenants table.
    pub async fn direct(&self) -> Client {
        let (client, connection) = tokio_postgres::connect(self.db.app_url(), NoTls)
            .await
            .expect("connect directly");
        tokio::spawn(connection);
        client
    }

    /// How many server connections the login role holds on this database, besides
    /// `direct`'s own: the pooler's.
    pub async fn server_connections(&self, direct: &Client) -> i64 {
        direct
            .query_one(
                "select count(*) from pg_stat_activity where datname = current_database() \
                 and usename = current_user and pid <> pg_backend_pid()",
                &[],
            )
            .await
            .expect("count server connections")
            .get(0)
    }
}

impl Instance {
    async fn start(database_url: &str) -> Self {
        // `auto`, whatever the environment says: the instances must find out for themselves
        // that a pooler answers them (docs/pgbouncer.md).
        let env = [
            ("MTDB_DB_POOL_SIZE", INSTANCE_POOL),
            ("MTDB_DB_STATEMENTS", "auto"),
        ];
        let (child, log, base) = spawn_serve(database_url, "warn,mtdb_app=info", &env).await;
        Self {
            _drain: tokio::spawn(drain(log, base.clone())),
            base,
            _child: child,
        }
    }
}

/// Reads the log (warnings and errors only) to its end, so that a full pipe never blocks
/// the server; shown with a failing test's output.
async fn drain(mut log: Lines<BufReader<ChildStderr>>, base: String) {
    while let Ok(Some(line)) = log.next_line().await {
        eprintln!("[{base}] {line}");
    }
}
