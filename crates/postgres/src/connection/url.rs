//! A `tokio_postgres::Config` written back as a `postgres://` URL, each part
//! percent-encoded, so that tokio-postgres (and libpq) parse it back to the same settings.

use std::fmt::Write as _;

use std::path::Path;

use tokio_postgres::config::Host;
use tokio_postgres::Config;

use crate::tls::TlsMode;

pub(super) fn render(config: &Config, tls_mode: TlsMode, root_cert: Option<&Path>) -> String {
    let mut url = String::from("postgres://");
    if let Some(user) = config.get_user() {
        url.push_str(&encode(user.as_bytes()));
        if let Some(password) = config.get_password() {
            url.push(':');
            url.push_str(&encode(password));
        }
        url.push('@');
    }
    let ports = config.get_ports();
    let hosts: Vec<String> = config
        .get_hosts()
        .iter()
        .enumerate()
        .map(|(i, host)| {
            let mut out = match host {
                // An IPv6 address goes in brackets.
                Host::Tcp(name) if name.contains(':') => format!("[{name}]"),
                Host::Tcp(name) => encode(name.as_bytes()),
                #[cfg(unix)]
                Host::Unix(path) => encode(path.to_string_lossy().as_bytes()),
            };
            // One port for every host, or one for all.
            if let Some(port) = ports.get(i).or(if ports.len() == 1 {
                ports.first()
            } else {
                None
            }) {
                let _ = write!(out, ":{port}");
            }
            out
        })
        .collect();
    url.push_str(&hosts.join(","));
    url.push('/');
    if let Some(dbname) = config.get_dbname() {
        url.push_str(&encode(dbname.as_bytes()));
    }
    let mut query = vec![("sslmode", tls_mode.name().to_owned())];
    if let Some(path) = root_cert {
        query.push(("sslrootcert", path.to_string_lossy().into_owned()));
    }
    if let Some(options) = config.get_options() {
        query.push(("options", options.to_owned()));
    }
    if let Some(name) = config.get_application_name() {
        query.push(("application_name", name.to_owned()));
    }
    if let Some(timeout) = config.get_connect_timeout() {
        // tokio-postgres reads whole seconds; round up so that a short timeout stays one.
        let seconds = timeout.as_secs() + u64::from(timeout.subsec_nanos() > 0);
        query.push(("connect_timeout", seconds.to_string()));
    }
    let query: Vec<String> = query
        .into_iter()
        .map(|(key, value)| format!("{key}={}", encode(value.as_bytes())))
        .collect();
    url.push('?');
    url.push_str(&query.join("&"));
    url
}

/// Every byte but RFC 3986's unreserved characters, as `%XX`.
fn encode(raw: &[u8]) -> String {
    let mut out = String::with_capacity(raw.len());
    for &byte in raw {
        if byte.is_ascii_alphanumeric() || b"-._~".contains(&byte) {
            out.push(char::from(byte));
        } else {
            let _ = write!(out, "%{byte:02X}");
        }
    }
    out
}
