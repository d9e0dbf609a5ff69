//! A PostgreSQL connection string, parsed once: the settings as a `tokio_postgres::Config`
//! without the password, and the password apart in a [`SecretSlice`], so that neither
//! `Debug` nor a log line can print it.

use std::borrow::Cow;
use std::fmt;
use std::path::{Path, PathBuf};
use std::str::FromStr;

use secrecy::{ExposeSecret, SecretSlice};
use tokio_postgres::config::{Host, SslMode};
use tokio_postgres::Config;

use crate::tls::{self, TlsConnector, TlsError, TlsMode};

mod tls_params;

/// Where and as whom to connect. Built from a URL (`postgres://user:password@host/db`)
/// or a `key=value` string.
#[derive(Clone)]
pub struct ConnectionSettings {
    /// Everything but the password.
    config: Config,
    /// Bytes, as tokio-postgres keeps it: a percent-encoded password need not be UTF-8.
    password: Option<SecretSlice<u8>>,
    /// `sslmode`, including the verifying modes tokio-postgres does not know (its own
    /// setting in `config` is then `require`).
    tls_mode: TlsMode,
    /// `sslrootcert`: the PEM file of the certificate authorities to trust.
    root_cert: Option<PathBuf>,
}

impl ConnectionSettings {
    /// Parses a URL or `key=value` connection string, moving the password into a secret.
    ///
    /// # Errors
    /// A string tokio-postgres cannot parse; its message names the bad part, never the
    /// password.
    pub fn parse(raw: &str) -> Result<Self, tokio_postgres::Error> {
        let stripped = tls_params::strip(raw);
        let mut config = Config::from_str(&stripped.rest)?;
        let tls_mode = match stripped.verify {
            Some(mode) => {
                // TLS is mandatory in the verifying modes; the connector verifies.
                config.ssl_mode(SslMode::Require);
                mode
            }
            None => match config.get_ssl_mode() {
                SslMode::Disable => TlsMode::Disable,
                SslMode::Require => TlsMode::Require,
                _ => TlsMode::Prefer,
            },
        };
        let password = config.get_password().map(|p| SecretSlice::from(p.to_vec()));
        Ok(Self {
            config: without_password(&config),
            password,
            tls_mode,
            root_cert: stripped.root_cert,
        })
    }

    /// The `sslmode` asked for.
    pub fn tls_mode(&self) -> TlsMode {
        self.tls_mode
    }

    /// The `sslrootcert` file, when one is named.
    pub fn root_cert(&self) -> Option<&Path> {
        self.root_cert.as_deref()
    }

    /// The TLS connector for these settings: every connection the adapter opens uses it.
    ///
    /// # Errors
    /// An unreadable `sslrootcert`, or a verifying mode without any root certificate.
    pub fn tls(&self) -> Result<TlsConnector, TlsError> {
        tls::connector(self.tls_mode, self.root_cert())
    }

    /// The role to connect as, when the string names one.
    pub fn user(&self) -> Option<&str> {
        self.config.get_user()
    }

    /// The password, kept secret: read it with `expose_secret` only to hand it to the
    /// driver or to a role's provisioning, never to a log.
    pub fn password(&self) -> Option<&SecretSlice<u8>> {
        self.password.as_ref()
    }

    /// The database to connect to, when the string names one.
    pub fn dbname(&self) -> Option<&str> {
        self.config.get_dbname()
    }

    /// The settings to connect with, the password included.
    pub fn config(&self) -> Config {
        let mut config = self.config.clone();
        if let Some(password) = &self.password {
            config.password(password.expose_secret());
        }
        config
    }
}

/// A copy of every setting of `config` (as of tokio-postgres 0.7.18) but the password,
/// which tokio-postgres cannot unset.
fn without_password(config: &Config) -> Config {
    let mut copy = Config::new();
    for host in config.get_hosts() {
        match host {
            Host::Tcp(name) => copy.host(name),
            #[cfg(unix)]
            Host::Unix(path) => copy.host_path(path),
        };
    }
    for hostaddr in config.get_hostaddrs() {
        copy.hostaddr(*hostaddr);
    }
    for port in config.get_ports() {
        copy.port(*port);
    }
    if let Some(user) = config.get_user() {
        copy.user(user);
    }
    if let Some(dbname) = config.get_dbname() {
        copy.dbname(dbname);
    }
    if let Some(options) = config.get_options() {
        copy.options(options);
    }
    if let Some(name) = config.get_application_name() {
        copy.application_name(name);
    }
    if let Some(timeout) = config.get_connect_timeout() {
        copy.connect_timeout(*timeout);
    }
    if let Some(timeout) = config.get_tcp_user_timeout() {
        copy.tcp_user_timeout(*timeout);
    }
    if let Some(interval) = config.get_keepalives_interval() {
        copy.keepalives_interval(interval);
    }
    if let Some(retries) = config.get_keepalives_retries() {
        copy.keepalives_retries(retries);
    }
    copy.ssl_mode(config.get_ssl_mode())
        .ssl_negotiation(config.get_ssl_negotiation())
        .keepalives(config.get_keepalives())
        .keepalives_idle(config.get_keepalives_idle())
        .target_session_attrs(config.get_target_session_attrs())
        .channel_binding(config.get_channel_binding())
        .load_balance_hosts(config.get_load_balance_hosts());
    copy
}

/// Hosts, ports, user and database; the password as `[REDACTED]` when there is one.
impl fmt::Debug for ConnectionSettings {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ConnectionSettings")
            .field("hosts", &self.config.get_hosts())
            .field("ports", &self.config.get_ports())
            .field("user", &self.config.get_user())
            .field("password", &self.password.as_ref().map(|_| "[REDACTED]"))
            .field("dbname", &self.config.get_dbname())
            .field("sslmode", &self.tls_mode.name())
            .field("sslrootcert", &self.root_cert)
            .finish_non_exhaustive()
    }
}

impl FromStr for ConnectionSettings {
    type Err = tokio_postgres::Error;

    fn from_str(raw: &str) -> Result<Self, Self::Err> {
        Self::parse(raw)
    }
}

/// What the adapter's functions take: settings parsed once (the application), or a
/// connection string parsed on the spot (tests and tools that hold one).
pub trait AsConnection {
    /// # Errors
    /// An unparsable connection string.
    fn as_connection(&self) -> Result<Cow<'_, ConnectionSettings>, tokio_postgres::Error>;
}

impl AsConnection for ConnectionSettings {
    fn as_connection(&self) -> Result<Cow<'_, ConnectionSettings>, tokio_postgres::Error> {
        Ok(Cow::Borrowed(self))
    }
}

impl AsConnection for str {
    fn as_connection(&self) -> Result<Cow<'_, ConnectionSettings>, tokio_postgres::Error> {
        ConnectionSettings::parse(self).map(Cow::Owned)
    }
}

impl AsConnection for String {
    fn as_connection(&self) -> Result<Cow<'_, ConnectionSettings>, tokio_postgres::Error> {
        self.as_str().as_connection()
    }
}

#[cfg(test)]
mod tests;
