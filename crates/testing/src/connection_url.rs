//! A connection's settings written back as a `postgres://` URL, each part
//! percent-encoded so that tokio-postgres (and libpq) parse it back to the same settings,
//! and the same settings for another database, role or address: what the tests hand to
//! the binary, to PgBouncer and to raw connections. The URL carries hosts, ports, user,
//! password, database, `options`, `application_name`, `sslmode`, `sslrootcert` and
//! `connect_timeout`; the request path never writes a connection string.

use std::fmt::Write as _;
use std::net::SocketAddr;
use std::path::Path;

use mtdb_postgres::{ConnectionSettings, TlsMode};
use secrecy::SecretString;
use tokio_postgres::config::Host;
use tokio_postgres::Config;

/// URLs from [`ConnectionSettings`], and settings changed through them.
pub trait ConnectionUrls: Sized {
    /// As a `postgres://` URL, the password included.
    fn to_url(&self) -> SecretString;
    /// The same server and role, another database.
    #[must_use]
    fn with_dbname(&self, dbname: &str) -> Self;
    /// The same server and database as another role.
    #[must_use]
    fn with_credentials(&self, user: &str, password: &str) -> Self;
    /// The same role and database at another address (a test's proxy, say).
    #[must_use]
    fn with_address(&self, address: SocketAddr) -> Self;
}

impl ConnectionUrls for ConnectionSettings {
    fn to_url(&self) -> SecretString {
        SecretString::from(render(
            &self.config(),
            self.tls_mode(),
            self.root_cert(),
            None,
        ))
    }

    fn with_dbname(&self, dbname: &str) -> Self {
        let mut config = self.config();
        config.dbname(dbname);
        reparsed(self, &config, None)
    }

    fn with_credentials(&self, user: &str, password: &str) -> Self {
        let mut config = self.config();
        config.user(user).password(password);
        reparsed(self, &config, None)
    }

    fn with_address(&self, address: SocketAddr) -> Self {
        reparsed(self, &self.config(), Some(address))
    }
}

fn reparsed(
    settings: &ConnectionSettings,
    config: &Config,
    address: Option<SocketAddr>,
) -> ConnectionSettings {
    let url = render(config, settings.tls_mode(), settings.root_cert(), address);
    ConnectionSettings::parse(&url).unwrap_or_else(|e| panic!("a rendered URL parses: {e}"))
}

fn render(
    config: &Config,
    tls_mode: TlsMode,
    root_cert: Option<&Path>,
    address: Option<SocketAddr>,
) -> String {
    let mut url = String::from("postgres://");
    if let Some(user) = config.get_user() {
        url.push_str(&encode(user.as_bytes()));
        if let Some(password) = config.get_password() {
            url.push(':');
            url.push_str(&encode(password));
        }
        url.push('@');
    }
    let moved = address.map(|a| (vec![Host::Tcp(a.ip().to_string())], vec![a.port()]));
    let (hosts, ports) = match &moved {
        Some((hosts, ports)) => (hosts.as_slice(), ports.as_slice()),
        None => (config.get_hosts(), config.get_ports()),
    };
    let hosts: Vec<String> = hosts
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

#[cfg(test)]
mod tests {
    use std::net::SocketAddr;

    use secrecy::ExposeSecret;
    use tokio_postgres::config::{Host, SslMode};

    use super::ConnectionUrls;
    use mtdb_postgres::ConnectionSettings;

    fn parsed(raw: &str) -> ConnectionSettings {
        ConnectionSettings::parse(raw).unwrap()
    }

    #[test]
    fn a_url_renders_back_to_the_same_settings() {
        let odd = "postgres://us%40er:p%3Aa%2Fss%20w@db.example:6543/my%20db\
                   ?application_name=a%20b&connect_timeout=3&sslmode=disable";
        let settings = parsed(odd);
        let back = parsed(settings.to_url().expose_secret());
        assert_eq!(back.user(), Some("us@er"));
        assert_eq!(
            back.password().map(|p| p.expose_secret().to_vec()),
            Some(b"p:a/ss w".to_vec())
        );
        assert_eq!(back.dbname(), Some("my db"));
        let config = back.config();
        assert_eq!(config.get_ports(), &[6543]);
        assert_eq!(config.get_application_name(), Some("a b"));
        assert_eq!(
            config.get_connect_timeout(),
            Some(&std::time::Duration::from_secs(3))
        );
        assert_eq!(config.get_ssl_mode(), SslMode::Disable);
    }

    #[test]
    fn swaps_database_credentials_and_address_without_touching_the_rest() {
        let base = parsed("postgres://u:p@h:5432/mtdb?application_name=x");
        let other = base.with_dbname("x_db").with_credentials("v", "q");
        let via = SocketAddr::from(([127, 0, 0, 1], 6000));
        let proxied = parsed(other.with_address(via).to_url().expose_secret());
        assert_eq!(proxied.dbname(), Some("x_db"));
        assert_eq!(proxied.user(), Some("v"));
        assert_eq!(
            proxied.password().map(|p| p.expose_secret().to_vec()),
            Some(b"q".to_vec())
        );
        let config = proxied.config();
        assert_eq!(config.get_hosts(), &[Host::Tcp("127.0.0.1".into())]);
        assert_eq!(config.get_ports(), &[6000]);
        assert_eq!(config.get_application_name(), Some("x"));
        // The original is unchanged.
        assert_eq!(base.dbname(), Some("mtdb"));
    }

    #[test]
    fn key_value_strings_become_urls_too() {
        let settings = parsed("host=h port=1 user=u password='a b' dbname=d");
        let back = parsed(settings.to_url().expose_secret());
        assert_eq!((back.user(), back.dbname()), (Some("u"), Some("d")));
        assert_eq!(
            back.password().map(|p| p.expose_secret().to_vec()),
            Some(b"a b".to_vec())
        );
    }

    #[test]
    fn a_password_that_is_not_utf8_is_kept_byte_for_byte() {
        let settings = parsed("postgres://u:%FF%FEx@h/d");
        assert_eq!(
            settings.config().get_password(),
            Some(&[0xFF, 0xFE, b'x'][..])
        );
        let back = parsed(settings.to_url().expose_secret());
        assert_eq!(back.config().get_password(), Some(&[0xFF, 0xFE, b'x'][..]));
    }
}
