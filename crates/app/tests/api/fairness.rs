//! Noisy neighbours over the real server (docs/fairness.md): an organization's 65th
//! request in flight is `429` with `Retry-After`, its first 64 and everyone else's are
//! served; a client that goes away mid-list leaves its pooled connection clean.

use std::time::Duration;

use reqwest::StatusCode;
use serde_json::json;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio_postgres::{Client, NoTls};

use crate::helpers::*;

async fn owner(app: &TestApp) -> Client {
    let (client, connection) = tokio_postgres::connect(app.admin_url(), NoTls)
        .await
        .expect("connecting as the owner");
    tokio::spawn(connection);
    client
}

/// Waits until `n` of the server's statements wait for a lock (`pg_locks`: the owner
/// may not read other roles' wait events); a hang guard, not a timing claim.
async fn until_blocked(owner: &Client, n: i64) {
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
    // About 12 MB of page: far more than the socket buffers, so the server is still
    // reading rows inside its transaction when the client goes.
    let owner = owner(&app).await;
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
}
