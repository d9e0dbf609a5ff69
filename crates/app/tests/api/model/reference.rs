//! The reference model: every tenant ever created, and what the server must answer to an
//! operation, written as directly as docs/api.md states the rules (visibility, then the
//! write rules in their documented order). It decides before the request is sent; the
//! driver applies the effect only after the server agreed.

use chrono::{DateTime, Utc};
use serde_json::{json, Value};

use super::names::Name;
use super::ops::Op;
pub use super::tenant::{parse_time, Tenant, Who};

/// What the server must answer.
#[derive(Debug)]
pub enum Expect {
    /// An error status with its code (`details` is `{"field": "name"}` for a
    /// `VALIDATION_ERROR`, the only one the generator provokes, and `{}` otherwise).
    Error(u16, &'static str),
    /// `201`: this tenant, except the id and timestamps that the server assigns.
    Created(Tenant),
    /// `200` with exactly this tenant (a `GET`).
    Found(Tenant),
    /// `200` with this tenant at its next version and a fresh `updated_at` (a `PUT`).
    Updated(Tenant),
    /// `200` with a page: these ids in this order.
    Page {
        ids: Vec<String>,
        total: usize,
        limit: usize,
        offset: usize,
    },
    /// `204`; these tenants are deleted.
    Deleted(Vec<String>),
}

#[derive(Default)]
pub struct Model {
    /// Every tenant in creation order, deleted ones included.
    pub tenants: Vec<Tenant>,
}

impl Model {
    pub fn find(&self, id: &str) -> Option<&Tenant> {
        self.tenants.iter().find(|t| t.id == id)
    }

    fn live(&self, id: &str) -> Option<&Tenant> {
        self.find(id).filter(|t| !t.deleted)
    }

    /// The visibility table: the admin sees every live tenant; a live parent P sees P
    /// and P's live subsidiaries; a live subsidiary S sees S; anyone else nothing.
    pub fn sees(&self, who: &Who, t: &Tenant) -> bool {
        if t.deleted {
            return false;
        }
        match who {
            Who::Admin => true,
            Who::Tenant(me) => match self.live(me) {
                None => false,
                Some(me) => t.id == me.id || t.parent.as_deref() == Some(me.id.as_str()),
            },
        }
    }

    /// What `who` sees, in list order: `created_at`, then `tenant_id`.
    pub fn visible(&self, who: &Who) -> Vec<&Tenant> {
        let mut seen: Vec<&Tenant> = self.tenants.iter().filter(|t| self.sees(who, t)).collect();
        seen.sort_by(|a, b| (a.created, &a.id).cmp(&(b.created, &b.id)));
        seen
    }

    fn visible_one(&self, who: &Who, id: &str) -> Option<&Tenant> {
        self.find(id).filter(|t| self.sees(who, t))
    }

    pub fn live_subsidiaries(&self, id: &str) -> Vec<&Tenant> {
        self.tenants
            .iter()
            .filter(|t| !t.deleted && t.parent.as_deref() == Some(id))
            .collect()
    }

    /// Whether a live tenant other than `except` under `parent` has the key `key`.
    fn name_taken(&self, parent: Option<&str>, key: &str, except: Option<&str>) -> bool {
        self.tenants.iter().any(|t| {
            !t.deleted
                && t.parent.as_deref() == parent
                && t.key == key
                && Some(t.id.as_str()) != except
        })
    }

    pub fn expect(&self, op: &Op) -> Expect {
        match op {
            Op::Create {
                who,
                name,
                parent,
                metadata,
            } => self.expect_create(who, name, parent.as_deref(), metadata),
            Op::Get { who, id } => match self.visible_one(who, id) {
                Some(t) => Expect::Found(t.clone()),
                None => Expect::Error(404, "NOT_FOUND"),
            },
            Op::List {
                who,
                limit,
                offset,
                tenant_type,
            } => {
                let (limit, offset) = (limit.unwrap_or(100), offset.unwrap_or(0));
                let all: Vec<&Tenant> = self
                    .visible(who)
                    .into_iter()
                    .filter(|t| match tenant_type {
                        None => true,
                        Some(wanted) => t.tenant_type() == *wanted,
                    })
                    .collect();
                let ids = all.iter().skip(offset).take(limit);
                Expect::Page {
                    ids: ids.map(|t| t.id.clone()).collect(),
                    total: all.len(),
                    limit,
                    offset,
                }
            }
            Op::Update {
                who,
                id,
                name,
                metadata,
                if_match,
            } => self.expect_update(who, id, name, metadata, if_match.as_deref()),
            Op::Delete {
                who,
                id,
                cascade,
                if_match,
            } => self.expect_delete(who, id, *cascade, if_match.as_deref()),
        }
    }

    fn expect_create(
        &self,
        who: &Who,
        name: &Name,
        parent: Option<&str>,
        metadata: &Option<Value>,
    ) -> Expect {
        // The body is validated before any rule is looked at.
        if name.invalid {
            return Expect::Error(400, "VALIDATION_ERROR");
        }
        match parent {
            None if *who != Who::Admin => return Expect::Error(403, "FORBIDDEN"),
            None => {}
            Some(parent) => match self.visible_one(who, parent) {
                None => return Expect::Error(404, "NOT_FOUND"),
                Some(p) if p.parent.is_some() => {
                    return Expect::Error(409, "HIERARCHY_DEPTH_EXCEEDED")
                }
                Some(_) => {}
            },
        }
        if self.name_taken(parent, &name.key, None) {
            return Expect::Error(409, "DUPLICATE_NAME");
        }
        Expect::Created(Tenant {
            id: String::new(),
            name: name.stored.clone(),
            key: name.key.clone(),
            parent: parent.map(str::to_owned),
            metadata: metadata.clone().unwrap_or_else(|| json!({})),
            created_at: String::new(),
            created: DateTime::<Utc>::UNIX_EPOCH,
            updated_at: String::new(),
            version: 1,
            deleted: false,
        })
    }

    fn expect_update(
        &self,
        who: &Who,
        id: &str,
        name: &Name,
        metadata: &Option<Value>,
        if_match: Option<&str>,
    ) -> Expect {
        if name.invalid {
            return Expect::Error(400, "VALIDATION_ERROR");
        }
        let Some(t) = self.visible_one(who, id) else {
            return Expect::Error(404, "NOT_FOUND");
        };
        // A name is chosen only by the admin or, for a subsidiary, its parent; keeping
        // the stored name exactly is a metadata update anyone who sees T may make.
        let renames = name.stored != t.name;
        let may_name = match who {
            Who::Admin => true,
            Who::Tenant(me) => t.parent.as_deref() == Some(me.as_str()),
        };
        if renames && !may_name {
            return Expect::Error(403, "FORBIDDEN");
        }
        if !matches(if_match, t.version) {
            return Expect::Error(412, "PRECONDITION_FAILED");
        }
        if self.name_taken(t.parent.as_deref(), &name.key, Some(id)) {
            return Expect::Error(409, "DUPLICATE_NAME");
        }
        Expect::Updated(Tenant {
            name: name.stored.clone(),
            key: name.key.clone(),
            metadata: metadata.clone().unwrap_or_else(|| json!({})),
            version: t.version + 1,
            ..t.clone()
        })
    }

    fn expect_delete(
        &self,
        who: &Who,
        id: &str,
        cascade: Option<bool>,
        if_match: Option<&str>,
    ) -> Expect {
        let Some(t) = self.visible_one(who, id) else {
            return Expect::Error(404, "NOT_FOUND");
        };
        let may_delete = match who {
            Who::Admin => true,
            Who::Tenant(me) => t.parent.as_deref() == Some(me.as_str()),
        };
        if !may_delete {
            return Expect::Error(403, "FORBIDDEN");
        }
        if !matches(if_match, t.version) {
            return Expect::Error(412, "PRECONDITION_FAILED");
        }
        let subsidiaries = self.live_subsidiaries(id);
        if !subsidiaries.is_empty() && cascade != Some(true) {
            return Expect::Error(409, "HAS_SUBSIDIARIES");
        }
        let mut gone = vec![t.id.clone()];
        gone.extend(subsidiaries.iter().map(|s| s.id.clone()));
        Expect::Deleted(gone)
    }

    /// Records a write the server answered as expected; `body` is its response body.
    pub fn apply(&mut self, expect: &Expect, body: Option<&Value>) {
        let text = |field: &str| {
            body.and_then(|b| b[field].as_str())
                .unwrap_or_default()
                .to_owned()
        };
        match expect {
            Expect::Created(t) => {
                let created_at = text("created_at");
                self.tenants.push(Tenant {
                    id: text("tenant_id"),
                    created: parse_time(&created_at),
                    created_at,
                    updated_at: text("updated_at"),
                    ..t.clone()
                });
            }
            Expect::Updated(t) => {
                if let Some(slot) = self.tenants.iter_mut().find(|s| s.id == t.id) {
                    *slot = Tenant {
                        updated_at: text("updated_at"),
                        ..t.clone()
                    };
                }
            }
            Expect::Deleted(ids) => {
                for t in self.tenants.iter_mut().filter(|t| ids.contains(&t.id)) {
                    t.deleted = true;
                }
            }
            Expect::Error(..) | Expect::Found(_) | Expect::Page { .. } => {}
        }
    }
}

/// `If-Match`: absent or `*` matches any current version; otherwise only the strong tag
/// of the current version, compared as an exact string (so `W/"3"` never matches).
fn matches(if_match: Option<&str>, version: u64) -> bool {
    match if_match {
        None | Some("*") => true,
        Some(tag) => tag == format!("\"{version}\""),
    }
}
