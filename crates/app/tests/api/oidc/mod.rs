//! Identity providers end to end: real `oidc-provider` instances on local ports, tokens
//! obtained as a client does, and the real `mtdb serve` verifying them.

mod binding;
mod forged;
mod keys;
mod provider;

use std::sync::{Arc, Mutex};

use mtdb_testing::TestDatabase;
use reqwest::StatusCode;
use serde_json::{json, Value};
use tokio::process::Child;

use crate::helpers::*;
use crate::process::ServerProcess;
use provider::Provider;

/// `mtdb serve` on its own seeded database, its log read as it comes (a request logs a
/// line; an unread pipe would stall the server).
struct Mtdb {
    base: String,
    /// One client for every request: building one costs more than a request.
    http: reqwest::Client,
    log: Arc<Mutex<Vec<String>>>,
    child: Child,
    _db: TestDatabase,
}

impl Mtdb {
    /// Stops the server as an operator does (`SIGTERM`) and waits for its exit 0: it ends
    /// cleanly, and an instrumented build writes its coverage profile.
    async fn stop(mut self) {
        let pid = self.child.id().expect("a running server");
        let sent = std::process::Command::new("sh")
            .args(["-c", &format!("kill -TERM {pid}")])
            .status();
        assert!(sent.expect("run kill").success(), "kill -TERM {pid}");
        let status = tokio::time::timeout(std::time::Duration::from_secs(60), self.child.wait())
            .await
            .expect("the server exited")
            .expect("its status");
        assert!(status.success(), "mtdb serve exited with {status}");
    }

    /// Every log line so far.
    fn log(&self) -> Vec<String> {
        self.log.lock().expect("the log").clone()
    }
}

/// `mtdb serve` trusting `issuers` (the `MTDB_OIDC_ISSUERS` elements), with `env` added.
async fn serve(issuers: Value, env: &[(&str, &str)]) -> Mtdb {
    let issuers = issuers.to_string();
    let mut all = vec![("MTDB_OIDC_ISSUERS", issuers.as_str())];
    all.extend_from_slice(env);
    let ServerProcess {
        child,
        mut log,
        base,
        db,
    } = ServerProcess::start("info", &all).await;
    let lines = Arc::new(Mutex::new(Vec::new()));
    let kept = Arc::clone(&lines);
    tokio::spawn(async move {
        while let Ok(Some(line)) = log.next_line().await {
            kept.lock().expect("the log").push(line);
        }
    });
    Mtdb {
        base,
        http: reqwest::Client::new(),
        log: lines,
        child,
        _db: db,
    }
}

/// The settings of an issuer that speaks for `organizations`, with today's claims.
fn issuer(provider: &Provider, organizations: &[&str]) -> Value {
    json!({"issuer": provider.issuer, "audience": "mtdb", "organizations": organizations})
}

/// `GET /api/v1/tenants/{id}` with `token`.
async fn get(server: &Mtdb, token: &str, id: &str) -> reqwest::Response {
    server
        .http
        .get(format!("{}/api/v1/tenants/{id}", server.base))
        .bearer_auth(token)
        .send()
        .await
        .expect("GET")
}

/// Asserts the answer every refused token gets, and returns it (status, challenge, body)
/// for comparisons.
async fn refused(response: reqwest::Response) -> (StatusCode, String, Value) {
    let status = response.status();
    let challenge = header(&response, "www-authenticate");
    let body: Value = response.json().await.expect("JSON");
    assert_eq!(status, StatusCode::UNAUTHORIZED, "{body}");
    assert_eq!(body["error"]["code"], "UNAUTHENTICATED");
    (status, challenge, body)
}

/// Waits (within the hang guard) until a log line holds every one of `needles`.
async fn until_logged(server: &Mtdb, needles: &[&str]) -> String {
    let found = async {
        loop {
            let line = server
                .log()
                .into_iter()
                .find(|line| needles.iter().all(|n| line.contains(n)));
            if let Some(line) = line {
                return line;
            }
            // Reading the log again, not waiting for time to pass.
            tokio::time::sleep(std::time::Duration::from_millis(20)).await;
        }
    };
    tokio::time::timeout(crate::process::GUARD, found)
        .await
        .unwrap_or_else(|_| panic!("no log line with {needles:?}"))
}
