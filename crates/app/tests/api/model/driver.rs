//! Sends an operation to the real server as its principal and collects what came back.

use std::collections::HashMap;
use std::time::Duration;

use mtdb_domain::{Principal, TenantId};
use reqwest::RequestBuilder;
use serde_json::{json, Value};

use super::ops::Op;
use super::reference::Who;
use crate::helpers::SECRET;

/// One response, as far as the model judges it.
#[derive(Debug)]
pub struct Reply {
    pub status: u16,
    pub etag: Option<String>,
    pub location: Option<String>,
    pub content_type: String,
    /// The body parsed as JSON, `None` when empty or not JSON.
    pub body: Option<Value>,
    pub raw: String,
}

/// Sends each request to the next server of `bases`, round-robin: one server, or several
/// instances over one database (instances/mod.rs).
pub struct Driver {
    bases: Vec<String>,
    sent: usize,
    client: reqwest::Client,
    tokens: HashMap<String, String>,
}

impl Driver {
    pub fn new(bases: Vec<String>) -> Self {
        assert!(!bases.is_empty(), "a server to drive");
        Self {
            bases,
            sent: 0,
            client: reqwest::Client::new(),
            tokens: HashMap::new(),
        }
    }

    pub async fn send(&mut self, op: &Op) -> Reply {
        let base = &self.bases[self.sent % self.bases.len()];
        self.sent += 1;
        let client = &self.client;
        let tenants = format!("{base}/api/v1/tenants");
        let one = |id: &str| format!("{tenants}/{id}");
        let request = match op {
            Op::Create {
                name,
                parent,
                metadata,
                ..
            } => {
                let mut body = json!({
                    "name": name.sent,
                    "tenant_type": if parent.is_some() { "subsidiary" } else { "parent" },
                    "parent_tenant_id": parent,
                });
                if let Some(metadata) = metadata {
                    body["metadata"] = metadata.clone();
                }
                client.post(&tenants).json(&body)
            }
            Op::Get { id, .. } => client.get(one(id)),
            Op::List {
                limit,
                offset,
                tenant_type,
                ..
            } => {
                let mut query: Vec<(&str, String)> = Vec::new();
                query.extend(limit.map(|l| ("limit", l.to_string())));
                query.extend(offset.map(|o| ("offset", o.to_string())));
                query.extend(tenant_type.map(|t| ("tenant_type", t.to_owned())));
                client.get(&tenants).query(&query)
            }
            Op::Update {
                id,
                name,
                metadata,
                if_match,
                ..
            } => {
                let mut body = json!({ "name": name.sent });
                if let Some(metadata) = metadata {
                    body["metadata"] = metadata.clone();
                }
                with_if_match(client.put(one(id)).json(&body), if_match)
            }
            Op::Delete {
                id,
                cascade,
                if_match,
                ..
            } => {
                let mut request = client.delete(one(id));
                if let Some(cascade) = cascade {
                    request = request.query(&[("cascade", cascade.to_string())]);
                }
                with_if_match(request, if_match)
            }
        };
        let token = self.token(who(op));
        let response = request.bearer_auth(token).send().await.expect("a response");
        let header = |name: &str| {
            response
                .headers()
                .get(name)
                .and_then(|v| v.to_str().ok())
                .map(str::to_owned)
        };
        let (etag, location) = (header("etag"), header("location"));
        let content_type = header("content-type").unwrap_or_default();
        let status = response.status().as_u16();
        let raw = response.text().await.expect("a body");
        Reply {
            status,
            etag,
            location,
            content_type,
            body: serde_json::from_str(&raw).ok(),
            raw,
        }
    }

    fn token(&mut self, who: &Who) -> String {
        let key = match who {
            Who::Admin => "admin".to_owned(),
            Who::Tenant(id) => id.clone(),
        };
        self.tokens
            .entry(key)
            .or_insert_with(|| {
                let principal = match who {
                    Who::Admin => Principal::PlatformAdmin,
                    Who::Tenant(id) => Principal::Tenant(id.parse::<TenantId>().expect("a UUID")),
                };
                let ttl = Duration::from_secs(3600);
                mtdb_http::issue_hs256_token(SECRET, principal, "model", ttl, None, None)
                    .expect("signing a token")
            })
            .clone()
    }
}

fn with_if_match(request: RequestBuilder, tag: &Option<String>) -> RequestBuilder {
    match tag {
        Some(tag) => request.header("If-Match", tag),
        None => request,
    }
}

pub fn who(op: &Op) -> &Who {
    match op {
        Op::Create { who, .. }
        | Op::Get { who, .. }
        | Op::List { who, .. }
        | Op::Update { who, .. }
        | Op::Delete { who, .. } => who,
    }
}
