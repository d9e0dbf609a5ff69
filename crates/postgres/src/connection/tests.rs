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
fn every_other_setting_survives_the_password_s_removal() {
    let raw = "postgres://u:p@h1:1,h2:2/d?target_session_attrs=read-write&keepalives=0\
               &keepalives_idle=7&tcp_user_timeout=3&channel_binding=disable\
               &load_balance_hosts=random&hostaddr=127.0.0.1,127.0.0.2";
    let original = Config::from_str(raw).unwrap();
    let kept = parsed(raw).config();
    // Config has no PartialEq; its Debug lists every field (the password as "_").
    assert_eq!(format!("{kept:?}"), format!("{original:?}"));
}
