//! The standby's superuser sessions over its socket, the commands run on its cluster,
//! and the replay positions they read.

use std::process::Command;

use tokio_postgres::{Client, NoTls};

use mtdb_postgres::replica::lag::{parse_lsn, Lsn};

pub(super) fn run(mut command: Command, what: &str) {
    let output = command
        .output()
        .unwrap_or_else(|e| panic!("{what}: cannot run: {e}"));
    assert!(
        output.status.success(),
        "{what} failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
}

pub(super) fn config(socket_dir: &str, port: u16, user: &str) -> tokio_postgres::Config {
    let mut config = tokio_postgres::Config::new();
    config
        .host_path(socket_dir)
        .port(port)
        .user(user)
        .dbname("postgres");
    config
}

pub(crate) async fn connect(socket_dir: &str, port: u16, user: &str) -> Client {
    let (client, connection) = config(socket_dir, port, user)
        .connect(NoTls)
        .await
        .unwrap_or_else(|e| panic!("superuser connection on {socket_dir}: {e}"));
    tokio::spawn(connection);
    client
}

pub(super) async fn lsn(client: &Client, query: &str) -> Lsn {
    let row = client.query_one(query, &[]).await.expect(query);
    parse_lsn(&row.get::<_, String>(0)).expect("an LSN")
}
