//! The PgBouncer launcher itself (`mtdb_testing::PgBouncer`): it starts the
//! installed binary, routes a throwaway test database through it, and stops it on drop.

use mtdb_testing::{PgBouncer, PgBouncerSettings, TestDatabase};

#[tokio::test]
async fn routes_a_test_database_through_pgbouncer_and_stops_on_drop() {
    let db = TestDatabase::create().await;
    let bouncer = PgBouncer::start(&PgBouncerSettings::transaction(
        &[db.app_url(), db.admin_url()],
        2,
    ));
    let port = bouncer.port();
    let url = bouncer.url_for(db.app_url());
    assert!(url.contains(&format!(":{port}/")), "{url}");

    let settings = mtdb_postgres::ConnectionSettings::parse(&url).unwrap();
    let (client, connection) = settings
        .config()
        .connect(settings.tls().unwrap())
        .await
        .unwrap_or_else(|e| panic!("through PgBouncer: {e:?}\n{}", bouncer.log()));
    tokio::spawn(connection);
    // The server behind it is the test database's, seen as the login role.
    let rows = client
        .simple_query("select current_database(), session_user, inet_server_port()")
        .await
        .unwrap();
    let row = rows
        .iter()
        .find_map(|m| match m {
            tokio_postgres::SimpleQueryMessage::Row(row) => Some(row),
            _ => None,
        })
        .unwrap();
    assert_eq!(row.get(0), Some(db.name()));
    let login = mtdb_postgres::ConnectionSettings::parse(db.app_url()).unwrap();
    assert_eq!(row.get(1), login.user());
    assert_ne!(row.get(2), Some(port.to_string().as_str()));
    drop(client);

    drop(bouncer);
    assert!(
        std::net::TcpStream::connect(("127.0.0.1", port)).is_err(),
        "PgBouncer still listens on {port} after drop"
    );
}
