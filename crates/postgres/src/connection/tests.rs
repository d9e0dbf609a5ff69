use std::net::SocketAddr;

use secrecy::ExposeSecret;

use super::*;

fn parsed(raw: &str) -> ConnectionSettings {
    ConnectionSettings::parse(raw).unwrap()
}

#[test]
fn debug_never_shows_the_password() {
    for raw in [
        "postgres://mtdb_app:s3cret-pa55@127.0.0.1:5432/mtdb",
        "host=127.0.0.1 user=mtdb_app password=s3cret-pa55 dbname=mtdb",
    ] {
        let settings = parsed(raw);
        let debug = format!("{settings:?}");
        assert!(!debug.contains("s3cret-pa55"), "{debug}");
        assert!(
            debug.contains("REDACTED") && debug.contains("mtdb_app"),
            "{debug}"
        );
        // The Config handed out carries it, for connecting.
        assert_eq!(settings.config().get_password(), Some(&b"s3cret-pa55"[..]));
    }
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
fn every_other_setting_survives_the_password_s_removal() {
    let raw = "postgres://u:p@h1:1,h2:2/d?target_session_attrs=read-write&keepalives=0\
               &keepalives_idle=7&tcp_user_timeout=3&channel_binding=disable\
               &load_balance_hosts=random&hostaddr=127.0.0.1,127.0.0.2";
    let original = Config::from_str(raw).unwrap();
    let kept = parsed(raw).config();
    // Config has no PartialEq; its Debug lists every field (the password as "_").
    assert_eq!(format!("{kept:?}"), format!("{original:?}"));
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
