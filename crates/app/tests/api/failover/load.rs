//! The write load: writers of two organizations creating, renaming and deleting their
//! subsidiaries through the API, each keeping a ledger of what the server acknowledged
//! (a 2xx) and of what it left in doubt (a `503` may come after the commit).

use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

use reqwest::{Client, Response, StatusCode};
use serde_json::json;

use crate::helpers::*;

/// What a tenant must look like in the database afterwards.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Expected {
    /// Live, with this name.
    Live(String),
    /// Deleted.
    Deleted,
    /// One of two: a write answered `503` may or may not have committed.
    Either(Box<Expected>, Box<Expected>),
}

impl Expected {
    pub fn admits(&self, actual: &Expected) -> bool {
        match self {
            Self::Either(a, b) => a.admits(actual) || b.admits(actual),
            other => other == actual,
        }
    }
}

/// Counts shared by every writer, read while the load runs.
#[derive(Default)]
pub struct Progress {
    pub acknowledged: AtomicU64,
    pub unavailable: AtomicU64,
    /// `404`s on a tenant whose creation was acknowledged: the creation was lost (the
    /// ledger still expects the tenant, so the comparison counts it too).
    pub not_found: AtomicU64,
    pub stop: AtomicBool,
    /// Responses that break the contract: a `500`, a `503` without `Retry-After`, any
    /// other status, a failed request.
    pub violations: Mutex<Vec<String>>,
}

/// What every writer saw, merged.
#[derive(Default)]
pub struct Ledger {
    pub expected: HashMap<String, Expected>,
    pub creates: u64,
    pub updates: u64,
    pub deletes: u64,
}

/// Runs `writers` writers against `base` until `progress.stop`; returns their ledgers.
pub async fn run(base: String, writers: usize, progress: Arc<Progress>) -> Ledger {
    let client = Client::new();
    let tasks: Vec<_> = (0..writers)
        .map(|w| {
            let writer = Writer {
                base: base.clone(),
                client: client.clone(),
                org: if w % 2 == 0 { HSBC } else { BARCLAYS },
                name: format!("Failover {w}"),
                progress: Arc::clone(&progress),
                ledger: Ledger::default(),
                live: Vec::new(),
            };
            tokio::spawn(writer.run())
        })
        .collect();
    let mut merged = Ledger::default();
    for task in tasks {
        let ledger = task.await.expect("a writer");
        merged.expected.extend(ledger.expected);
        merged.creates += ledger.creates;
        merged.updates += ledger.updates;
        merged.deletes += ledger.deletes;
    }
    merged
}

struct Writer {
    base: String,
    client: Client,
    org: &'static str,
    name: String,
    progress: Arc<Progress>,
    ledger: Ledger,
    /// Its live subsidiaries no write left in doubt: (id, name).
    live: Vec<(String, String)>,
}

/// How one request ended.
enum Outcome {
    Acknowledged(Response),
    InDoubt,
    Refused,
}

impl Writer {
    async fn run(mut self) -> Ledger {
        let mut step = 0_u64;
        while !self.progress.stop.load(Ordering::Relaxed) {
            step += 1;
            match step % 4 {
                1 | 3 => self.create(step).await,
                2 => self.rename(step).await,
                _ => self.delete().await,
            }
        }
        self.ledger
    }

    async fn create(&mut self, step: u64) {
        let name = format!("{} {step}", self.name);
        let body = json!({"name": name, "tenant_type": "subsidiary", "parent_tenant_id": self.org});
        let request = self.client.post(format!("{}/api/v1/tenants", self.base));
        if let Outcome::Acknowledged(response) = self.send(request.json(&body)).await {
            let created: serde_json::Value = response.json().await.expect("the created tenant");
            let id = created["tenant_id"].as_str().expect("an id").to_owned();
            self.ledger.creates += 1;
            self.ledger
                .expected
                .insert(id.clone(), Expected::Live(name.clone()));
            self.live.push((id, name));
        }
        // In doubt: a name never used again, and an id nobody learned; nothing to check.
    }

    async fn rename(&mut self, step: u64) {
        let Some((id, old)) = self.live.pop() else {
            return;
        };
        let name = format!("{} {step} renamed", self.name);
        let request = self
            .client
            .put(format!("{}/api/v1/tenants/{id}", self.base));
        match self.send(request.json(&json!({"name": name}))).await {
            Outcome::Acknowledged(_) => {
                self.ledger.updates += 1;
                self.ledger
                    .expected
                    .insert(id.clone(), Expected::Live(name.clone()));
                self.live.insert(0, (id, name));
            }
            Outcome::InDoubt => self.in_doubt(id, Expected::Live(old), Expected::Live(name)),
            Outcome::Refused => {}
        }
    }

    async fn delete(&mut self) {
        let Some((id, name)) = self.live.pop() else {
            return;
        };
        let request = self
            .client
            .delete(format!("{}/api/v1/tenants/{id}", self.base));
        match self.send(request).await {
            Outcome::Acknowledged(_) => {
                self.ledger.deletes += 1;
                self.ledger.expected.insert(id, Expected::Deleted);
            }
            Outcome::InDoubt => self.in_doubt(id, Expected::Live(name), Expected::Deleted),
            Outcome::Refused => {}
        }
    }

    /// A tenant whose last write is in doubt: never written again.
    fn in_doubt(&mut self, id: String, before: Expected, after: Expected) {
        let either = Expected::Either(Box::new(before), Box::new(after));
        self.ledger.expected.insert(id, either);
    }

    async fn send(&self, request: reqwest::RequestBuilder) -> Outcome {
        let sent = request
            .bearer_auth(token_for(As::Tenant(self.org)))
            .send()
            .await;
        let response = match sent {
            Ok(response) => response,
            Err(e) => return self.violation(format!("the request failed: {e}")),
        };
        let status = response.status();
        if status.is_success() {
            self.progress.acknowledged.fetch_add(1, Ordering::Relaxed);
            return Outcome::Acknowledged(response);
        }
        if status == StatusCode::SERVICE_UNAVAILABLE {
            self.progress.unavailable.fetch_add(1, Ordering::Relaxed);
            if response.headers().get("retry-after").is_none() {
                return self.violation("a 503 without Retry-After".to_owned());
            }
            return Outcome::InDoubt;
        }
        if status == StatusCode::NOT_FOUND {
            self.progress.not_found.fetch_add(1, Ordering::Relaxed);
            return Outcome::Refused;
        }
        let body = response.text().await.unwrap_or_default();
        self.violation(format!("{status}: {body}"))
    }

    fn violation(&self, what: String) -> Outcome {
        if let Ok(mut violations) = self.progress.violations.lock() {
            violations.push(what);
        }
        Outcome::Refused
    }
}
