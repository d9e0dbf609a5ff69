//! TLS to PostgreSQL (docs/operations.md, "TLS"): a cluster of the test's own that
//! accepts TLS connections only, reached through the application's pool.

use mtdb_testing::ConnectionUrls;
use std::time::Duration;

use crate::tls::cluster::{Authority, TlsCluster};

/// Connects through `mtdb_postgres::connect_pool`, as `mtdb serve` does; the error as
/// its whole cause chain.
async fn connect(url: &str) -> Result<deadpool_postgres::Object, String> {
    let pool =
        mtdb_postgres::connect_pool(url, 1, Duration::from_secs(20)).map_err(|e| chain(&e))?;
    pool.get().await.map_err(|e| chain(&e))
}

fn chain(e: &dyn std::error::Error) -> String {
    let mut out = e.to_string();
    let mut source = e.source();
    while let Some(s) = source {
        out.push_str(": ");
        out.push_str(&s.to_string());
        source = s.source();
    }
    out
}

async fn ssl_in_use(client: &deadpool_postgres::Object) -> bool {
    client
        .query_one(
            "select ssl from pg_stat_ssl where pid = pg_backend_pid()",
            &[],
        )
        .await
        .unwrap()
        .get(0)
}

#[tokio::test]
async fn tls_modes_against_a_tls_only_server() {
    let ca = Authority::new("mtdb test CA");
    let cluster = TlsCluster::start(&ca);
    let ca_file = cluster.ca_file.to_str().unwrap().to_owned();

    // require: encrypted, certificate not checked (the private CA is unknown here).
    let client = connect(&cluster.url("127.0.0.1", "sslmode=require"))
        .await
        .unwrap();
    assert!(ssl_in_use(&client).await, "sslmode=require ran without TLS");
    // `auto` finds no pooler over TLS either: its check reads the start-up's key.
    assert!(mtdb_testing::names_statements(&client));
    drop(client);

    // verify-full with the test's CA, to the name and the address in the certificate.
    for host in ["127.0.0.1", "localhost"] {
        let url = cluster.url(host, &format!("sslmode=verify-full&sslrootcert={ca_file}"));
        let client = connect(&url)
            .await
            .unwrap_or_else(|e| panic!("{host}: {e}"));
        assert!(ssl_in_use(&client).await);
        assert!(mtdb_testing::names_statements(&client));
    }

    // Attack: the right address under a name the certificate does not carry (a
    // redirected DNS name): verify-full refuses it, verify-ca (chain only) accepts it.
    let wrong_name = |mode: &str| {
        cluster.url(
            "db.wrong.example",
            &format!("hostaddr=127.0.0.1&sslmode={mode}&sslrootcert={ca_file}"),
        )
    };
    let err = connect(&wrong_name("verify-full")).await.unwrap_err();
    assert!(err.contains("not valid for name"), "{err}");
    let client = connect(&wrong_name("verify-ca")).await.unwrap();
    assert!(ssl_in_use(&client).await);
    drop(client);

    // Attack: a server whose certificate another authority signed (an impostor): the
    // chain does not verify, in both verifying modes, and without the CA (system roots).
    let other = Authority::new("some other CA");
    let other_file = cluster.ca_file.with_file_name("other.pem");
    std::fs::write(&other_file, &other.pem).unwrap();
    for mode in ["verify-full", "verify-ca"] {
        let url = cluster.url(
            "127.0.0.1",
            &format!(
                "sslmode={mode}&sslrootcert={}",
                other_file.to_str().unwrap()
            ),
        );
        let err = connect(&url).await.unwrap_err();
        assert!(err.contains("UnknownIssuer"), "{mode}: {err}");
    }
    // The administrative path (migrate, seed) verifies with the same connector.
    let url = cluster.url(
        "127.0.0.1",
        &format!(
            "sslmode=verify-full&sslrootcert={}",
            other_file.to_str().unwrap()
        ),
    );
    let err = mtdb_postgres_admin::migrate_up(url.as_str())
        .await
        .unwrap_err();
    assert!(chain(&err).contains("UnknownIssuer"), "{}", chain(&err));
    let err = connect(&cluster.url("127.0.0.1", "sslmode=verify-full"))
        .await
        .unwrap_err();
    assert!(
        err.contains("UnknownIssuer") || err.contains("root certificates"),
        "{err}"
    );

    // A missing root certificate file is a setup error, before any connection.
    let err = connect(&cluster.url(
        "127.0.0.1",
        "sslmode=verify-full&sslrootcert=/nonexistent.pem",
    ))
    .await
    .unwrap_err();
    assert!(err.contains("sslrootcert"), "{err}");

    // Plain TCP to a hostssl-only server is refused by the server.
    let err = connect(&cluster.url("127.0.0.1", "sslmode=disable"))
        .await
        .unwrap_err();
    assert!(err.contains("no encryption"), "{err}");

    // The administrative path (migrate, seed, check) uses the same connector.
    let url = cluster.url(
        "127.0.0.1",
        &format!("sslmode=verify-full&sslrootcert={ca_file}"),
    );
    let settings = mtdb_postgres::ConnectionSettings::parse(&url).unwrap();
    assert_eq!(settings.tls_mode(), mtdb_postgres::TlsMode::VerifyFull);
    assert!(!format!("{settings:?}").contains(crate::tls::cluster::PASSWORD));
    let round_trip = mtdb_postgres::ConnectionSettings::parse(
        secrecy::ExposeSecret::expose_secret(&settings.to_url()),
    )
    .unwrap();
    assert_eq!(round_trip.tls_mode(), mtdb_postgres::TlsMode::VerifyFull);
    assert_eq!(round_trip.root_cert(), settings.root_cert());
    drop(cluster);
}
