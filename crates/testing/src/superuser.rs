//! What only a superuser may do to a test database (a database default for
//! `session_replication_role`, a function owned by a role that bypasses row level
//! security): over the project-local cluster's unix socket, as its bootstrap superuser.

use tokio_postgres::NoTls;

use crate::cluster::Cluster;
use crate::database::TestDatabase;

impl TestDatabase {
    /// Runs `sql` as the project-local cluster's superuser, in this database.
    ///
    /// # Panics
    /// When the tests do not run on the project-local cluster, or `sql` fails.
    pub async fn superuser_runs(&self, sql: &str) {
        let cluster = Cluster::find();
        let (client, connection) = tokio_postgres::Config::new()
            .host_path(&cluster.socket_dir)
            .port(cluster.port)
            .user(&cluster.superuser)
            .dbname(self.name())
            .connect(NoTls)
            .await
            .unwrap_or_else(|e| panic!("superuser connection: {e}"));
        tokio::spawn(connection);
        client
            .batch_execute(sql)
            .await
            .unwrap_or_else(|e| panic!("as the superuser, {sql}: {e}"));
    }
}
