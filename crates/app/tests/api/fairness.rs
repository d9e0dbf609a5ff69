//! Noisy neighbours over the real server (docs/fairness.md): an organization's 65th
//! request in flight is `429` with `Retry-After`, its first 64 and everyone else's are
//! served; a client that goes away mid-list leaves its pooled connection clean.

use std::time::Duration;

use reqwest::StatusCode;
use serde_json::json;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio_postgres::{Client, NoTls};

use crate::helpers::*;

pub(crate) async fn owner(app: &TestApp) -> Client {
    let (client, connection) = tokio_postgres::connect(app.admin_url(), NoTls)
        .await
        .expect("connecting as the owner");
    tokio::spawn(connection);
    client
}

/// Waits until `n` of the server's statements wait for a lock (`pg_locks`: the owner
/// may not read other roles' wait events); a hang guard, not a timing claim.
pub(crate) async fn until_blocked(owner: &Client, n: i64) {
    let wait = async {
        loop {
            let row = owner
                .query_one(
                    "select count(distinct l.pid) from pg_locks l \
                     join pg_stat_activity a on a.pid = l.pid \
                     where not l.granted and a.datname = current_database()",
                    &[],
                )
                .await
                .expect("reading pg_stat_activity");
            if row.get::<_, i64>(0) == n {
                return;
            }
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
    };
    tokio::time::timeout(Duration::from_secs(60), wait)
        .await
        .unwrap_or_else(|_| panic!("{n} requests never blocked"));
}

#[tokio::test]
async fn the_65th_request_of_one_organization_is_429_and_the_others_are_served() {
    // 64 connections held by HSBC, one more for everyone else.
    let app = TestApp::spawn_with(|s| {
        s.database.pool_size = 66;
        s.database.org_max_requests = 64;
    })
    .await;
    // The organization of each principal is learned on its first request.
    for who in [HSBC, HSBC_LONDON, BARCLAYS] {
        assert_eq!(app.get_tenant(As::Tenant(who), who).await.status(), 200);
    }
    let watcher = owner(&app).await;
    let mut owner = owner(&app).await;
    let lock = owner.transaction().await.expect("a transaction");
    // Row level security applies to the owner too: act as the platform admin.
    lock.batch_execute("select set_config('role', 'mtdb_platform_admin', true)")
        .await
        .expect("switching role");
    let locked = lock
        .execute(
            "select 1 from tenants where tenant_id = $1::text::uuid for update",
            &[&HSBC_HK],
        )
        .await
        .expect("locking HSBC Hong Kong");
    assert_eq!(locked, 1);

    // 64 writes of HSBC's wait for that row, each holding a pooled connection.
    let same_name = json!({"name": "HSBC Hong Kong", "metadata": {}});
    let flood: Vec<_> = (0..64)
        .map(|_| {
            let request = app
                .client
                .put(app.url(&format!("/api/v1/tenants/{HSBC_HK}")))
                .bearer_auth(app.token(As::Tenant(HSBC)))
                .json(&same_name);
            tokio::spawn(request.send())
        })
        .collect();
    until_blocked(&watcher, 64).await;

    let refused = app.get_tenant(As::Tenant(HSBC_LONDON), HSBC_LONDON).await;
    let retry_after = header(&refused, "retry-after");
    let (code, _) = error_code(refused, StatusCode::TOO_MANY_REQUESTS).await;
    assert_eq!(code, "TOO_MANY_REQUESTS");
    assert!(
        retry_after.parse::<u32>().is_ok_and(|s| s >= 1),
        "{retry_after}"
    );
    // Another organization is served meanwhile.
    assert_eq!(
        app.get_tenant(As::Tenant(BARCLAYS), BARCLAYS)
            .await
            .status(),
        200
    );

    lock.rollback().await.expect("releasing the lock");
    for request in flood {
        let response = request.await.expect("the task ran").expect("PUT");
        assert_eq!(response.status(), 200);
    }
}

#[tokio::test]
async fn a_client_gone_mid_list_leaves_the_only_connection_clean() {
    let app = TestApp::spawn_with(|s| {
        s.database.pool_size = 1;
        s.database.pool_reserve = 0;
    })
    .await;
    add_heavy_subsidiaries(&owner(&app).await).await;
    // The pool's only connection, opened by a first request.
    assert_eq!(app.get_tenant(As::Admin, HSBC).await.status(), 200);
    let login = login(&app).await;
    let session = sessions(&login).await;
    assert_eq!(session.len(), 1);

    let address = app.address.trim_start_matches("http://").to_owned();
    let mut socket = tokio::net::TcpStream::connect(address)
        .await
        .expect("connecting");
    let request = format!(
        "GET /api/v1/tenants?limit=1000 HTTP/1.1\r\nHost: mtdb\r\n\
         Authorization: Bearer {}\r\n\r\n",
        app.token(As::Admin)
    );
    socket.write_all(request.as_bytes()).await.expect("sending");
    let mut first = vec![0; 64 * 1024];
    let read = socket.read(&mut first).await.expect("reading");
    assert!(String::from_utf8_lossy(&first[..read]).starts_with("HTTP/1.1 200"));
    drop(socket);

    // The next request needs the same, only connection: it must come back out of the
    // abandoned transaction, with nothing of the admin's context left on it.
    let page = json(app.list(As::Tenant(HSBC_HK), "").await, StatusCode::OK).await;
    assert_eq!(page["total_count"], 1);
    assert_eq!(page["tenants"][0]["tenant_id"], HSBC_HK);
    let other = app.get_tenant(As::Tenant(HSBC_HK), BARCLAYS).await;
    assert_eq!(other.status(), 404);
    // The same session all along: back in the pool, not closed and opened again.
    assert_eq!(sessions(&login).await, session);
}

/// 200 subsidiaries of HSBC with 50 KiB of metadata each, about 12 MB of page: far more
/// than the socket buffers, so the server is still reading rows inside its transaction
/// when its client goes or stops reading.
pub(crate) async fn add_heavy_subsidiaries(owner: &Client) {
    owner
        .batch_execute(
            "begin; select set_config('role', 'mtdb_platform_admin', true); \
             insert into tenants (name, parent_tenant_id, tenant_type, metadata) \
             select 'Heavy ' || g, '00000000-0000-4000-8000-000000000001', 'subsidiary', \
                    (select jsonb_object_agg('k' || i, repeat('v', 56)) \
                     from generate_series(1, 900) i) \
             from generate_series(1, 200) g; commit",
        )
        .await
        .expect("adding heavy subsidiaries");
}

/// A connection as the login role, which sees its own sessions' state.
pub(crate) async fn login(app: &TestApp) -> Client {
    let (client, connection) = tokio_postgres::connect(app.app_url(), NoTls)
        .await
        .expect("connecting as the login role");
    tokio::spawn(connection);
    client
}

/// The server's sessions (process ids, sorted), besides `login`'s own.
pub(crate) async fn sessions(login: &Client) -> Vec<i32> {
    login
        .query(
            "select pid from pg_stat_activity where datname = current_database() \
             and usename = current_user and pid <> pg_backend_pid() order by pid",
            &[],
        )
        .await
        .expect("reading pg_stat_activity")
        .iter()
        .map(|row| row.get(0))
        .collect()
}

#[tokio::test]
async fn a_deleted_or_unlearned_subsidiary_waits_with_its_organization() {
    // Two shared connections, one kept for organizations that hold none of them.
    let app = TestApp::spawn_with(|s| {
        s.database.pool_size = 2;
        s.database.pool_reserve = 1;
        s.database.pool_timeout = Duration::from_millis(500);
    })
    .await;
    // HSBC Hong Kong is deleted before its token is ever used; that token stays valid.
    let deleted = app.delete(As::Tenant(HSBC), HSBC_HK, "", None).await;
    assert_eq!(deleted.status(), 204);
    let watcher = owner(&app).await;
    let mut owner = owner(&app).await;
    let lock = owner.transaction().await.expect("a transaction");
    lock.batch_execute("select set_config('role', 'mtdb_platform_admin', true)")
        .await
        .expect("switching role");
    lock.execute(
        "select 1 from tenants where tenant_id = $1::text::uuid for update",
        &[&HSBC_LONDON],
    )
    .await
    .expect("locking HSBC London");
    // Two writes of HSBC wait for HSBC London's row, holding both shared connections.
    let same_name = json!({"name": "HSBC London", "metadata": {}});
    let flood: Vec<_> = (0..2)
        .map(|_| {
            let request = app
                .client
                .put(app.url(&format!("/api/v1/tenants/{HSBC_LONDON}")))
                .bearer_auth(app.token(As::Tenant(HSBC)))
                .json(&same_name);
            tokio::spawn(request.send())
        })
        .collect();
    until_blocked(&watcher, 2).await;

    // Neither takes the reserve as an organization of its own: both wait in HSBC's turn.
    for who in [HSBC_HK, HSBC_LONDON] {
        let response = app.get_tenant(As::Tenant(who), who).await;
        let (code, _) = error_code(response, StatusCode::SERVICE_UNAVAILABLE).await;
        assert_eq!(code, "SERVICE_UNAVAILABLE", "{who}");
    }
    let barclays = app.get_tenant(As::Tenant(BARCLAYS), BARCLAYS).await;
    assert_eq!(barclays.status(), 200);

    lock.rollback().await.expect("releasing the lock");
    for request in flood {
        let response = request.await.expect("the task ran").expect("PUT");
        assert_eq!(response.status(), 200);
    }
    // Placed for good: the deleted subsidiary reads as before, its own tenant gone.
    let gone = app.get_tenant(As::Tenant(HSBC_HK), HSBC_HK).await;
    assert_eq!(gone.status(), 404);
}
