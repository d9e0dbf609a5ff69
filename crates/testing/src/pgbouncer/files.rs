//! The two files PgBouncer reads: `pgbouncer.ini` and the user list, written for one
//! [`PgBouncer`](super::PgBouncer) into its private directory.

use std::fs;
use std::path::Path;

use super::settings::PgBouncerSettings;
use crate::urls;

pub(super) fn write_files(dir: &Path, port: u16, settings: &PgBouncerSettings) {
    use std::os::unix::fs::{DirBuilderExt, PermissionsExt};
    fs::DirBuilder::new()
        .mode(0o700)
        .create(dir)
        .unwrap_or_else(|e| panic!("creating {}: {e}", dir.display()));
    let upstream = urls::settings(&settings.upstream_url).config();
    let host = match upstream.get_hosts().first() {
        Some(tokio_postgres::config::Host::Tcp(host)) => host.clone(),
        _ => "127.0.0.1".to_owned(),
    };
    let upstream_port = upstream.get_ports().first().copied().unwrap_or(5432);
    let d = dir.display();
    // `*`: any database name (the tests' throwaway databases) goes to the upstream.
    // No unix socket; no admin console. `extra_float_digits` is what JDBC and others send
    // at start-up (tokio-postgres sends only client_encoding, user, database and
    // application_name, which PgBouncer tracks itself).
    let ini = format!(
        "[databases]\n* = host={host} port={upstream_port}\n\n[pgbouncer]\n\
         listen_addr = 127.0.0.1\nlisten_port = {port}\nunix_socket_dir =\n\
         auth_type = scram-sha-256\nauth_file = {d}/userlist.txt\n\
         logfile = {d}/pgbouncer.log\npidfile = {d}/pgbouncer.pid\n\
         pool_mode = {mode}\ndefault_pool_size = {size}\nmin_pool_size = 0\n\
         reserve_pool_size = 0\nmax_client_conn = {clients}\n\
         ignore_startup_parameters = extra_float_digits\n\
         log_connections = 0\nlog_disconnections = 0\n",
        mode = settings.pool_mode.as_str(),
        size = settings.default_pool_size,
        clients = settings.max_client_conn,
    );
    let users: String = settings
        .users
        .iter()
        .map(|(name, password)| format!("{} {}\n", quoted(name), quoted(password)))
        .collect();
    for (name, text) in [("pgbouncer.ini", ini), ("userlist.txt", users)] {
        let path = dir.join(name);
        fs::write(&path, text).unwrap_or_else(|e| panic!("writing {}: {e}", path.display()));
        fs::set_permissions(&path, fs::Permissions::from_mode(0o600))
            .unwrap_or_else(|e| panic!("protecting {}: {e}", path.display()));
    }
}

/// A user list field: in double quotes, a double quote doubled.
fn quoted(text: &str) -> String {
    format!("\"{}\"", text.replace('"', "\"\""))
}

#[cfg(test)]
mod tests {
    use super::quoted;
    use crate::urls::credentials;

    #[test]
    fn reads_credentials_and_quotes_them() {
        assert_eq!(
            credentials("postgres://app:s%22cret@h:1/d"),
            ("app".to_owned(), "s\"cret".to_owned())
        );
        assert_eq!(quoted("s\"cret"), "\"s\"\"cret\"");
    }
}
