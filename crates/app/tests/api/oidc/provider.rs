//! A real OpenID Connect provider (`oidc-provider` from npm, started by `provider.mjs`)
//! as a child process: tokens the way a client gets them (client credentials), key
//! rotation, and the number of key set requests it served.

use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::time::Duration;

use serde_json::{json, Value};
use tokio::io::{AsyncBufReadExt, BufReader};
use tokio::process::{Child, Command};

const GUARD: Duration = Duration::from_secs(30);

pub struct Provider {
    pub issuer: String,
    child: Child,
    http: reqwest::Client,
}

/// The directory of the `oidc-provider` package, installed by the script when missing.
fn package() -> PathBuf {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let out = std::process::Command::new(root.join("scripts/need-oidc-provider.sh"))
        .stderr(Stdio::inherit())
        .output()
        .expect("run scripts/need-oidc-provider.sh");
    assert!(out.status.success(), "oidc-provider could not be installed");
    PathBuf::from(String::from_utf8(out.stdout).expect("UTF-8").trim())
}

impl Provider {
    /// A provider signing with `alg` (`RS256`, `ES256`, `EdDSA`) for audience `mtdb`;
    /// `clients` maps each client id to `{"claims": {...}, "ttl": seconds}`.
    pub async fn start(alg: &str, clients: Value) -> Self {
        let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/api/oidc/provider.mjs");
        let config =
            json!({"module": package(), "alg": alg, "audience": "mtdb", "clients": clients});
        // On a loaded machine Node has, rarely, not come up within the guard; a second
        // process is tried before the test fails (its stderr says what the first did).
        for attempt in 1..=2 {
            let mut child = Command::new("node")
                .arg(&script)
                .arg(config.to_string())
                // Held open while the provider should run: it exits when stdin closes.
                .stdin(Stdio::piped())
                .stdout(Stdio::piped())
                .stderr(Stdio::inherit())
                .kill_on_drop(true)
                .spawn()
                .expect("start node");
            let stdout = child.stdout.take().expect("stdout");
            let Ok(line) =
                tokio::time::timeout(GUARD, BufReader::new(stdout).lines().next_line()).await
            else {
                eprintln!("the provider did not listen within {GUARD:?} (attempt {attempt})");
                continue;
            };
            let line = line
                .expect("read its stdout")
                .expect("the provider printed its issuer");
            let started: Value = serde_json::from_str(&line).expect("JSON");
            let issuer = started["issuer"].as_str().expect("issuer").to_owned();
            return Self {
                issuer,
                child,
                http: reqwest::Client::new(),
            };
        }
        panic!("the provider did not listen in time, twice");
    }

    /// An access token for `client`, by the client credentials grant.
    pub async fn token(&self, client: &str) -> String {
        let response = self
            .http
            .post(format!("{}/token", self.issuer))
            .basic_auth(client, Some(format!("{client}-secret")))
            .form(&[("grant_type", "client_credentials"), ("scope", "tenants")])
            .send()
            .await
            .expect("POST /token");
        assert!(
            response.status().is_success(),
            "token for {client}: {}",
            response.status()
        );
        let body: Value = response.json().await.expect("JSON");
        body["access_token"]
            .as_str()
            .expect("access_token")
            .to_owned()
    }

    /// A rotation step: `publish`, `promote` or `retire` (see provider.mjs).
    pub async fn keys(&self, step: &str) {
        let url = format!("{}/test/keys/{step}", self.issuer);
        let response = self.http.post(url).send().await.expect("rotation step");
        assert!(response.status().is_success());
    }

    /// How many key set requests the provider has served.
    pub async fn key_set_requests(&self) -> u64 {
        let stats: Value = self
            .http
            .get(format!("{}/test/stats", self.issuer))
            .send()
            .await
            .expect("GET /test/stats")
            .json()
            .await
            .expect("JSON");
        stats["jwks"].as_u64().expect("a count")
    }

    /// The signing key's public half in PEM.
    pub async fn public_pem(&self) -> String {
        let url = format!("{}/test/public.pem", self.issuer);
        let response = self.http.get(url).send().await.expect("GET public.pem");
        response.text().await.expect("PEM")
    }

    /// Waits until the provider served more than `count` key set requests.
    pub async fn until_key_set_requests_exceed(&self, count: u64) {
        tokio::time::timeout(GUARD, async {
            while self.key_set_requests().await <= count {
                // Asking the provider again, not waiting for time to pass.
                tokio::time::sleep(Duration::from_millis(50)).await;
            }
        })
        .await
        .expect("mtdb fetched the key set again");
    }

    /// Stops the provider and waits until it is gone.
    pub async fn stop(&mut self) {
        self.child.kill().await.expect("kill the provider");
    }
}

/// The kid in a token's header.
pub fn kid(token: &str) -> String {
    let header = jsonwebtoken::decode_header(token).expect("a JWT");
    header.kid.expect("a kid")
}
