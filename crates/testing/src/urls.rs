//! Connection strings for tests: the URLs `make test` exports, another database or
//! address in their place, the credentials they name.

use secrecy::ExposeSecret;

use mtdb_postgres::ConnectionSettings;

use crate::connection_url::ConnectionUrls;

pub(crate) const ADMIN_ENV: &str = "MTDB_ADMIN_DATABASE_URL";
pub(crate) const APP_ENV: &str = "DATABASE_URL";

pub(crate) fn env(key: &str) -> String {
    match std::env::var(key) {
        Ok(value) if !value.is_empty() => value,
        _ => panic!(
            "{key} is not set: these tests need PostgreSQL. Run them with `make test` \
             (or `scripts/pg-local.sh start` and export the URLs it prints)"
        ),
    }
}

/// `url` pointing at database `name` instead of its own, as a `postgres://` URL (a
/// `key=value` string comes back as a URL too). Built through [`ConnectionSettings`]: no
/// surgery on the string.
///
/// # Panics
/// For a string that is not a connection string.
pub fn with_database(url: &str, name: &str) -> String {
    rendered(&settings(url).with_dbname(name))
}

/// `url` pointing at `address` instead of its own host and port, credentials, database
/// and parameters kept: to route a test's connections through a proxy.
///
/// # Panics
/// For a string that is not a connection string.
pub fn with_address(url: &str, address: std::net::SocketAddr) -> String {
    rendered(&settings(url).with_address(address))
}

pub(crate) fn settings(url: &str) -> ConnectionSettings {
    ConnectionSettings::parse(url).unwrap_or_else(|e| panic!("invalid connection string: {e}"))
}

/// The URL with its password, which tests hand to the binary and to raw connections.
pub(crate) fn rendered(settings: &ConnectionSettings) -> String {
    settings.to_url().expose_secret().to_owned()
}

/// The user and password `url` names, for the user list.
pub(crate) fn credentials(url: &str) -> (String, String) {
    let settings = settings(url);
    let user = settings
        .user()
        .unwrap_or_else(|| panic!("the URL names no user"))
        .to_owned();
    let password = settings
        .password()
        .map(|p| String::from_utf8_lossy(p.expose_secret()).into_owned())
        .unwrap_or_else(|| panic!("the URL for {user} has no password"));
    (user, password)
}

#[cfg(test)]
mod tests {
    use super::{settings, with_address, with_database};

    #[test]
    fn swaps_the_database_of_urls_and_key_value_strings() {
        for url in [
            "postgres://u:p@h:5432/mtdb",
            "postgres://u:p@h:5432/mtdb?sslmode=disable",
            "postgresql://u@h?application_name=a",
            "host=h user=u password=p dbname=mtdb",
        ] {
            let swapped = settings(&with_database(url, "x"));
            let original = settings(url);
            assert_eq!(swapped.dbname(), Some("x"), "{url}");
            assert_eq!(swapped.user(), original.user(), "{url}");
            assert_eq!(
                swapped.config().get_password(),
                original.config().get_password()
            );
            assert_eq!(
                swapped.config().get_application_name(),
                original.config().get_application_name()
            );
        }
    }

    #[test]
    fn swaps_the_address_of_urls() {
        let via = std::net::SocketAddr::from(([127, 0, 0, 1], 6000));
        let swapped = settings(&with_address("postgres://u:p@h:5432/mtdb", via));
        let config = swapped.config();
        assert_eq!(config.get_ports(), &[6000]);
        assert_eq!(
            config.get_hosts(),
            &[tokio_postgres::config::Host::Tcp("127.0.0.1".into())]
        );
        assert_eq!(
            (swapped.user(), swapped.dbname()),
            (Some("u"), Some("mtdb"))
        );
    }
}
