//! Who acts in the multi-instance tests, and what each may see: the rules of
//! docs/security.md (a parent sees itself and its subsidiaries, a subsidiary itself, the
//! platform admin everything live), as a check on any row an answer carries.

use reqwest::{Method, StatusCode};
use serde_json::Value;

use super::Fleet;
use crate::helpers::*;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Who {
    Admin,
    Parent(&'static str),
    Subsidiary(&'static str),
}

/// Every kind of principal of the demo: the admin, both organizations' parents and
/// subsidiaries.
pub const PRINCIPALS: [Who; 6] = [
    Who::Admin,
    Who::Parent(HSBC),
    Who::Subsidiary(HSBC_HK),
    Who::Parent(BARCLAYS),
    Who::Subsidiary(BARCLAYS_UK),
    Who::Subsidiary(HSBC_LONDON),
];

pub const DEMO: [&str; 5] = [HSBC, HSBC_HK, HSBC_LONDON, BARCLAYS, BARCLAYS_UK];

/// The demo's organization of each demo id.
fn organization(id: &str) -> &'static str {
    if [BARCLAYS, BARCLAYS_UK].contains(&id) {
        BARCLAYS
    } else {
        HSBC
    }
}

impl Who {
    pub fn token(self) -> String {
        token_for(match self {
            Who::Admin => As::Admin,
            Who::Parent(id) | Who::Subsidiary(id) => As::Tenant(id),
        })
    }

    /// Whether a tenant, as the API renders it, lies in this principal's scope.
    pub fn may_see(self, tenant: &Value) -> bool {
        let id = tenant["tenant_id"].as_str();
        match self {
            Who::Admin => true,
            Who::Parent(p) => id == Some(p) || tenant["parent_tenant_id"].as_str() == Some(p),
            Who::Subsidiary(s) => id == Some(s),
        }
    }

    /// Whether this principal sees the demo tenant `id` (none of them is deleted here).
    pub fn sees_demo(self, id: &str) -> bool {
        match self {
            Who::Admin => true,
            Who::Parent(p) => organization(id) == p,
            Who::Subsidiary(s) => s == id,
        }
    }

    /// A demo subsidiary of the other organization: the target of write attempts.
    pub fn foreign_subsidiary(self) -> &'static str {
        match self {
            Who::Parent(id) | Who::Subsidiary(id) if organization(id) == HSBC => BARCLAYS_UK,
            _ => HSBC_LONDON,
        }
    }
}

impl Fleet {
    /// One request as `who` to instance `n` (round-robin): its status and JSON body
    /// (`Null` when empty). Panics on a server error, naming the instance and the body.
    pub async fn send(
        &self,
        n: usize,
        who: Who,
        method: Method,
        path: &str,
        body: Option<&Value>,
    ) -> (StatusCode, Value) {
        self.send_if_match(n, who, method, path, body, None).await
    }

    /// As [`send`](Self::send), with an `If-Match` header when `tag` is given.
    pub async fn send_if_match(
        &self,
        n: usize,
        who: Who,
        method: Method,
        path: &str,
        body: Option<&Value>,
        tag: Option<&str>,
    ) -> (StatusCode, Value) {
        let base = self.base(n);
        let mut request = self
            .client
            .request(method.clone(), format!("{base}{path}"))
            .bearer_auth(who.token());
        if let Some(body) = body {
            request = request.json(body);
        }
        if let Some(tag) = tag {
            request = request.header("If-Match", tag);
        }
        let response = request.send().await.expect("a response");
        let status = response.status();
        let text = response.text().await.expect("a body");
        assert!(
            !status.is_server_error(),
            "{method} {path} as {who:?} on {base}: {status} {text}"
        );
        (status, serde_json::from_str(&text).unwrap_or(Value::Null))
    }
}
