//! Nothing a client does holds a pooled connection or a transaction without bound
//! (docs/fairness.md, "Bounded holds"): a reader that stops is cut after
//! `MTDB_HTTP_WRITE_TIMEOUT_MS`, one too slow for its page after
//! `MTDB_HTTP_RESPONSE_TIMEOUT_MS`, and `HEAD` on a list reads no table.

use std::time::Duration;

use reqwest::StatusCode;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpSocket, TcpStream};
use tokio::time::Instant;
use tokio_postgres::Client;

use crate::fairness::{add_heavy_subsidiaries, login, owner, sessions, until_blocked};
use crate::helpers::*;

const WRITE_TIMEOUT: Duration = Duration::from_secs(3);
/// What the cut may take beyond the write timeout: the rest of the page read off the
/// database socket and discarded, then the `COMMIT` behind it.
const CUT_WITHIN: Duration = Duration::from_secs(3);
/// A hang guard, not a timing claim.
const GUARD: Duration = Duration::from_secs(30);

/// Asks for HSBC's heavy page over a socket with a 4 KiB receive buffer, reads the status
/// line and then nothing.
async fn stalled_reader(app: &TestApp) -> TcpStream {
    let socket = TcpSocket::new_v4().expect("a socket");
    socket.set_recv_buffer_size(4096).expect("a small buffer");
    let address = app.address.trim_start_matches("http://");
    let mut stream = socket
        .connect(address.parse().expect("an address"))
        .await
        .expect("connecting");
    let request = format!(
        "GET /api/v1/tenants?limit=1000 HTTP/1.1\r\nHost: mtdb\r\n\
         Authorization: Bearer {}\r\n\r\n",
        app.token(As::Tenant(HSBC))
    );
    stream.write_all(request.as_bytes()).await.expect("sending");
    let mut status = [0; 12];
    stream.read_exact(&mut status).await.expect("the status");
    assert_eq!(&status, b"HTTP/1.1 200");
    stream
}

/// The server's session that waits on its client inside a transaction, once there is one.
async fn stalled_session(login: &Client) -> i32 {
    let wait = async {
        loop {
            let row = login
                .query_opt(
                    "select pid from pg_stat_activity where datname = current_database() \
                     and usename = current_user and wait_event = 'ClientWrite' \
                     and xact_start is not null",
                    &[],
                )
                .await
                .expect("reading pg_stat_activity");
            if let Some(row) = row {
                return row.get(0);
            }
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
    };
    tokio::time::timeout(GUARD, wait)
        .await
        .expect("the list never waited on its client")
}

/// `pid`'s state and whether it is inside a transaction.
async fn session_state(login: &Client, pid: i32) -> (String, bool) {
    let row = login
        .query_one(
            "select state, xact_start is not null from pg_stat_activity where pid = $1",
            &[&pid],
        )
        .await
        .expect("the session is still there");
    (row.get(0), row.get(1))
}

#[tokio::test]
async fn a_reader_that_stops_is_cut_and_a_ddl_and_another_bank_behind_it_go_on() {
    let app = TestApp::spawn_with(|s| s.http.write_timeout = WRITE_TIMEOUT).await;
    add_heavy_subsidiaries(&owner(&app).await).await;
    for who in [HSBC, BARCLAYS] {
        assert_eq!(app.get_tenant(As::Tenant(who), who).await.status(), 200);
    }
    let login = login(&app).await;
    let before = sessions(&login).await;

    let mut reader = stalled_reader(&app).await;
    let stalled = stalled_session(&login).await;
    let stalled_at = Instant::now();
    // A DDL queues behind the stalled transaction, and Barclays' read behind the DDL.
    let ddl = owner(&app).await;
    let altered = tokio::spawn(async move {
        ddl.batch_execute("alter table tenants add constraint held check (true) not valid")
            .await
            .expect("the DDL");
        Instant::now()
    });
    until_blocked(&login, 1).await;
    let barclays = app
        .client
        .get(app.url(&format!("/api/v1/tenants/{BARCLAYS}")))
        .bearer_auth(app.token(As::Tenant(BARCLAYS)))
        .send();
    let barclays = tokio::spawn(async move {
        let response = barclays.await.expect("GET");
        (response.status(), Instant::now())
    });
    until_blocked(&login, 2).await;

    let (status, answered_at) = tokio::time::timeout(WRITE_TIMEOUT + CUT_WITHIN, barclays)
        .await
        .expect("Barclays' read waited past the bound")
        .expect("the task ran");
    assert_eq!(status, StatusCode::OK);
    let altered_at = altered.await.expect("the task ran");
    assert!(
        answered_at.saturating_duration_since(altered_at) < Duration::from_secs(1),
        "Barclays answered {:?} after the DDL",
        answered_at - altered_at
    );
    assert!(answered_at - stalled_at < WRITE_TIMEOUT + CUT_WITHIN);
    // The stalled list's transaction ended and its session went back to the pool, open.
    assert_eq!(session_state(&login, stalled).await, ("idle".into(), false));
    let after = sessions(&login).await;
    assert!(after.contains(&stalled), "{after:?}");
    assert!(before.iter().all(|pid| after.contains(pid)), "{after:?}");
    // And its client was cut off: the socket ends, far short of the page.
    let mut rest = Vec::new();
    let ended = tokio::time::timeout(GUARD, reader.read_to_end(&mut rest)).await;
    assert!(ended.is_ok(), "the connection was never closed");
    assert!(rest.len() < 8 * 1024 * 1024, "{} bytes", rest.len());
}

#[tokio::test]
async fn head_on_a_list_reads_no_table_and_keeps_its_pooled_connection() {
    let app = TestApp::spawn_with(|s| {
        s.database.pool_size = 1;
        s.database.pool_reserve = 0;
    })
    .await;
    assert_eq!(app.get_tenant(As::Tenant(HSBC), HSBC).await.status(), 200);
    let login = login(&app).await;
    let session = sessions(&login).await;
    assert_eq!(session.len(), 1);
    // Any statement that reads tenants (a count, a page) would wait for this lock.
    let mut owner = owner(&app).await;
    let lock = owner.transaction().await.expect("a transaction");
    lock.batch_execute("lock table tenants in access exclusive mode")
        .await
        .expect("locking tenants");

    for _ in 0..20 {
        let head = app
            .client
            .head(app.url("/api/v1/tenants?limit=1000"))
            .bearer_auth(app.token(As::Tenant(HSBC)))
            .send();
        let response = tokio::time::timeout(GUARD, head)
            .await
            .expect("HEAD waited for the locked table")
            .expect("HEAD");
        assert_eq!(response.status(), 200);
        assert_eq!(header(&response, "content-type"), "application/json");
    }
    lock.rollback().await.expect("releasing the lock");
    // Twenty units of work on the one session the pool had.
    assert_eq!(sessions(&login).await, session);
}

#[tokio::test]
async fn a_reader_too_slow_for_the_page_is_cut_at_the_response_deadline() {
    const RESPONSE_TIMEOUT: Duration = Duration::from_secs(2);
    let app = TestApp::spawn_with(|s| {
        // Never a stall of the write timeout: only the whole-page deadline can cut it.
        s.http.write_timeout = Duration::from_secs(60);
        s.http.response_timeout = RESPONSE_TIMEOUT;
    })
    .await;
    add_heavy_subsidiaries(&owner(&app).await).await;
    let login = login(&app).await;

    let mut reader = stalled_reader(&app).await;
    // 4 KiB every 20 ms (about 200 KB/s): the 12 MB page would take a minute.
    let reading = tokio::spawn(async move {
        let mut buffer = [0; 4096];
        let mut total = 0;
        loop {
            match reader.read(&mut buffer).await {
                Ok(0) | Err(_) => return total,
                Ok(read) => total += read,
            }
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    });
    let list = stalled_session(&login).await;
    let ended = async {
        while session_state(&login, list).await != ("idle".into(), false) {
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
    };
    tokio::time::timeout(RESPONSE_TIMEOUT + CUT_WITHIN, ended)
        .await
        .expect("the page's transaction outlived the response deadline");
    let read = tokio::time::timeout(GUARD, reading)
        .await
        .expect("the connection was never closed")
        .expect("the task ran");
    assert!(read < 8 * 1024 * 1024, "{read} bytes");
}
