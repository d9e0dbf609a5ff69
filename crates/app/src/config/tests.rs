use std::collections::HashMap;

use super::*;

/// An environment of exactly `pairs` (also used by the other settings' tests).
pub(super) fn env(pairs: &[(&str, &str)]) -> Env<impl Fn(&str) -> Option<String>> {
    let map: HashMap<String, String> = pairs
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
    Env(move |name: &str| map.get(name).cloned())
}

const SECRET: &str = "0123456789abcdef0123456789abcdef";

#[test]
fn serve_needs_the_database_url_and_names_it() {
    let err = env(&[("MTDB_JWT_SECRET", SECRET)])
        .serve_settings()
        .unwrap_err();
    assert_eq!(err, ConfigError::Missing("DATABASE_URL"));
    assert!(err.to_string().contains("DATABASE_URL"));
}

#[test]
fn serve_needs_a_long_enough_secret() {
    let base = [("DATABASE_URL", "postgres://a@b/c")];
    assert_eq!(
        env(&base).serve_settings().unwrap_err(),
        ConfigError::Missing("MTDB_JWT_SECRET")
    );
    let short = env(&[base[0], ("MTDB_JWT_SECRET", "too-short")]);
    let err = short.serve_settings().unwrap_err();
    assert!(matches!(
        err,
        ConfigError::Invalid {
            name: "MTDB_JWT_SECRET",
            ..
        }
    ));
}

#[test]
fn defaults_apply_when_optional_settings_are_absent() {
    let settings = env(&[
        ("DATABASE_URL", "postgres://a@b/c"),
        ("MTDB_JWT_SECRET", SECRET),
    ])
    .serve_settings()
    .unwrap();
    assert_eq!(settings.listen.to_string(), "127.0.0.1:8080");
    assert_eq!(settings.database.pool_timeout, Duration::from_secs(3));
    assert!(settings.database.pool_size >= 4);
    assert!(settings.metrics_listen.is_none());
    assert!(settings.jwt.issuer.is_none());
    assert_eq!(settings.http.body_timeout, Duration::from_secs(10));
    assert_eq!(settings.shutdown_grace, Duration::from_secs(30));
}

#[test]
fn the_shutdown_grace_is_read_in_milliseconds() {
    let settings = env(&[
        ("DATABASE_URL", "postgres://a@b/c"),
        ("MTDB_JWT_SECRET", SECRET),
        ("MTDB_SHUTDOWN_GRACE_MS", "500"),
    ])
    .serve_settings()
    .unwrap();
    assert_eq!(settings.shutdown_grace, Duration::from_millis(500));
}

#[test]
fn statements_default_to_auto_and_read_each_mode() {
    let read = |value: Option<&str>| {
        let mut pairs = vec![
            ("DATABASE_URL", "postgres://a@b/c"),
            ("MTDB_JWT_SECRET", SECRET),
        ];
        pairs.extend(value.map(|v| ("MTDB_DB_STATEMENTS", v)));
        env(&pairs).serve_settings().unwrap().database.statements
    };
    assert_eq!(read(None), StatementMode::Auto);
    assert_eq!(read(Some("prepared")), StatementMode::Prepared);
    assert_eq!(read(Some(" unnamed ")), StatementMode::Unnamed);
    assert_eq!(read(Some("auto")), StatementMode::Auto);
}

#[test]
fn the_body_timeout_is_read_in_milliseconds() {
    let settings = env(&[
        ("DATABASE_URL", "postgres://a@b/c"),
        ("MTDB_JWT_SECRET", SECRET),
        ("MTDB_HTTP_BODY_TIMEOUT_MS", "250"),
    ])
    .serve_settings()
    .unwrap();
    assert_eq!(settings.http.body_timeout, Duration::from_millis(250));
}

#[test]
fn the_write_and_response_timeouts_are_read_in_milliseconds() {
    let settings = env(&[
        ("DATABASE_URL", "postgres://a@b/c"),
        ("MTDB_JWT_SECRET", SECRET),
        ("MTDB_HTTP_WRITE_TIMEOUT_MS", "1500"),
        ("MTDB_HTTP_RESPONSE_TIMEOUT_MS", "1500"),
    ])
    .serve_settings()
    .unwrap();
    assert_eq!(settings.http.write_timeout, Duration::from_millis(1500));
    assert_eq!(settings.http.response_timeout, Duration::from_millis(1500));
}

#[test]
fn invalid_values_name_their_variable() {
    let cases = [
        ("MTDB_LISTEN", "not-an-address"),
        ("MTDB_DB_POOL_SIZE", "many"),
        ("MTDB_DB_POOL_SIZE", "0"),
        ("MTDB_DB_POOL_TIMEOUT_MS", "-5"),
        ("MTDB_METRICS_LISTEN", "nowhere"),
        ("MTDB_JWT_PUBLIC_KEY_FILE", "/no/such/key.pem"),
        ("MTDB_HTTP_BODY_TIMEOUT_MS", "0"),
        ("MTDB_HTTP_BODY_TIMEOUT_MS", "600001"),
        ("MTDB_HTTP_BODY_TIMEOUT_MS", "10s"),
        ("MTDB_HTTP_BODY_TIMEOUT_MS", "-1"),
        ("MTDB_HTTP_WRITE_TIMEOUT_MS", "0"),
        ("MTDB_HTTP_WRITE_TIMEOUT_MS", "600001"),
        ("MTDB_HTTP_WRITE_TIMEOUT_MS", "5s"),
        ("MTDB_HTTP_RESPONSE_TIMEOUT_MS", "0"),
        ("MTDB_HTTP_RESPONSE_TIMEOUT_MS", "1m"),
        // Shorter than the default write timeout.
        ("MTDB_HTTP_RESPONSE_TIMEOUT_MS", "1000"),
        ("MTDB_SHUTDOWN_GRACE_MS", "0"),
        ("MTDB_SHUTDOWN_GRACE_MS", "3600001"),
        ("MTDB_SHUTDOWN_GRACE_MS", "30s"),
        ("MTDB_SHUTDOWN_GRACE_MS", "-1"),
        ("MTDB_DB_STATEMENTS", "named"),
        ("MTDB_DB_STATEMENTS", "PREPARED"),
    ];
    for (name, value) in cases {
        let e = env(&[
            ("DATABASE_URL", "postgres://a@b/c"),
            ("MTDB_JWT_SECRET", SECRET),
            (name, value),
        ]);
        match e.serve_settings().unwrap_err() {
            ConfigError::Invalid { name: named, .. } => assert_eq!(named, name),
            other => panic!("{name}={value}: {other:?}"),
        }
    }
}

#[test]
fn blank_values_count_as_missing() {
    let err = env(&[("MTDB_ADMIN_DATABASE_URL", "  ")])
        .admin_database()
        .unwrap_err();
    assert_eq!(err, ConfigError::Missing("MTDB_ADMIN_DATABASE_URL"));
}

#[test]
fn org_max_requests_defaults_above_64_and_refuses_less() {
    let with = |value: Option<&str>| {
        let mut pairs = vec![
            ("DATABASE_URL", "postgres://a@b/c"),
            ("MTDB_JWT_SECRET", SECRET),
        ];
        pairs.extend(value.map(|v| ("MTDB_ORG_MAX_REQUESTS", v)));
        env(&pairs).serve_settings()
    };
    assert!(with(None).unwrap().database.org_max_requests >= 64);
    assert_eq!(with(Some("64")).unwrap().database.org_max_requests, 64);
    for bad in ["63", "0", "-1", "lots"] {
        match with(Some(bad)).unwrap_err() {
            ConfigError::Invalid { name, .. } => assert_eq!(name, "MTDB_ORG_MAX_REQUESTS"),
            other => panic!("{bad}: {other:?}"),
        }
    }
}

#[test]
fn debug_of_the_settings_shows_no_password_and_no_secret() {
    let settings = env(&[
        (
            "DATABASE_URL",
            "postgres://mtdb_app:app-pa55word@127.0.0.1:5432/mtdb",
        ),
        ("MTDB_JWT_SECRET", SECRET),
    ])
    .serve_settings()
    .unwrap();
    let debug = format!("{settings:?}");
    assert!(!debug.contains("app-pa55word"), "{debug}");
    assert!(!debug.contains(SECRET), "{debug}");
    // What is not secret is still there to read.
    assert!(
        debug.contains("mtdb_app") && debug.contains("REDACTED"),
        "{debug}"
    );

    let admin = env(&[(
        "MTDB_ADMIN_DATABASE_URL",
        "host=127.0.0.1 user=mtdb_owner password=owner-pa55word dbname=mtdb",
    )])
    .admin_database()
    .unwrap();
    assert!(!format!("{admin:?}").contains("owner-pa55word"));
}

#[test]
fn a_connection_string_is_parsed_once_and_named_when_invalid() {
    let err = env(&[
        ("DATABASE_URL", "postgres://u:p@h:notaport/db"),
        ("MTDB_JWT_SECRET", SECRET),
    ])
    .serve_settings()
    .unwrap_err();
    match err {
        ConfigError::Invalid { name, reason } => {
            assert_eq!(name, "DATABASE_URL");
            assert!(!reason.contains(":p@"), "{reason}");
        }
        other => panic!("{other:?}"),
    }
    let app = env(&[("DATABASE_URL", "postgres://u:p@h/db")]).app_database();
    assert_eq!(
        app.unwrap().and_then(|c| c.user().map(str::to_owned)),
        Some("u".into())
    );
}
