//! The operations and their seeded generator.

use std::fmt;

use serde_json::{json, Value};

use super::names::{pool_name, Name};
use super::reference::{Model, Tenant, Who};
use super::rng::Rng;

#[derive(Clone, Debug)]
pub enum Op {
    /// `parent: None` creates a parent tenant.
    Create {
        who: Who,
        name: Name,
        parent: Option<String>,
        metadata: Option<Value>,
    },
    Get {
        who: Who,
        id: String,
    },
    List {
        who: Who,
        limit: Option<usize>,
        offset: Option<usize>,
        tenant_type: Option<&'static str>,
    },
    Update {
        who: Who,
        id: String,
        name: Name,
        metadata: Option<Value>,
        if_match: Option<String>,
    },
    Delete {
        who: Who,
        id: String,
        cascade: Option<bool>,
        if_match: Option<String>,
    },
}

impl Op {
    pub fn kind(&self) -> &'static str {
        match self {
            Op::Create { .. } => "create",
            Op::Get { .. } => "get",
            Op::List { .. } => "list",
            Op::Update { .. } => "update",
            Op::Delete { .. } => "delete",
        }
    }
}

impl fmt::Display for Op {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Op::Create {
                who,
                name,
                parent,
                metadata,
            } => write!(
                f,
                "create as {who:?}: name {:?}, parent {parent:?}, metadata {}",
                name.sent,
                shown(metadata)
            ),
            Op::Get { who, id } => write!(f, "get as {who:?}: {id}"),
            Op::List {
                who,
                limit,
                offset,
                tenant_type,
            } => write!(
                f,
                "list as {who:?}: limit {limit:?}, offset {offset:?}, tenant_type {tenant_type:?}"
            ),
            Op::Update {
                who,
                id,
                name,
                metadata,
                if_match,
            } => write!(
                f,
                "update as {who:?}: {id}, name {:?}, metadata {}, If-Match {if_match:?}",
                name.sent,
                shown(metadata)
            ),
            Op::Delete {
                who,
                id,
                cascade,
                if_match,
            } => write!(
                f,
                "delete as {who:?}: {id}, cascade {cascade:?}, If-Match {if_match:?}"
            ),
        }
    }
}

fn shown(metadata: &Option<Value>) -> String {
    metadata
        .as_ref()
        .map_or("absent".to_owned(), Value::to_string)
}

/// What the generator may produce.
#[derive(Clone, Copy, Debug)]
pub struct Switches {
    /// Updates that change a name (otherwise every update keeps the stored name).
    pub renames: bool,
    /// The Unicode names of the pool (otherwise ASCII case variants only).
    pub unicode: bool,
}

pub fn generate(rng: &mut Rng, model: &Model, switches: Switches) -> Op {
    let who = principal(rng, model);
    match rng.below(100) {
        0..=9 => Op::Create {
            // Mostly the admin, so that parents exist to hold subsidiaries.
            who: if rng.chance(75) { Who::Admin } else { who },
            name: pool_name(rng, switches),
            parent: None,
            metadata: metadata(rng),
        },
        10..=34 => Op::Create {
            parent: Some(holder(rng, model, &who)),
            who,
            name: pool_name(rng, switches),
            metadata: metadata(rng),
        },
        35..=44 => Op::Get {
            id: target(rng, model, &who),
            who,
        },
        45..=57 => Op::List {
            who,
            limit: rng
                .pick(&[None, Some(1), Some(2), Some(3), Some(7), Some(1000)])
                .copied()
                .flatten(),
            offset: rng
                .pick(&[None, None, Some(0), Some(1), Some(2), Some(5), Some(20)])
                .copied()
                .flatten(),
            tenant_type: rng
                .pick(&[None, None, Some("parent"), Some("subsidiary")])
                .copied()
                .flatten(),
        },
        58..=87 => {
            let id = target(rng, model, &who);
            let current = model.find(&id);
            let name = match current {
                Some(t) if !switches.renames || rng.chance(45) => same_name(rng, t),
                _ => pool_name(rng, switches),
            };
            Op::Update {
                if_match: if_match(rng, current),
                metadata: metadata(rng),
                name,
                id,
                who,
            }
        }
        _ => {
            let id = target(rng, model, &who);
            Op::Delete {
                if_match: if_match(rng, model.find(&id)),
                cascade: rng
                    .pick(&[None, None, Some(false), Some(true), Some(true)])
                    .copied()
                    .flatten(),
                id,
                who,
            }
        }
    }
}

/// The admin, live parents and subsidiaries, deleted tenants and unknown ones.
fn principal(rng: &mut Rng, model: &Model) -> Who {
    let of = |pred: &dyn Fn(&Tenant) -> bool| -> Vec<String> {
        model
            .tenants
            .iter()
            .filter(|t| pred(t))
            .map(|t| t.id.clone())
            .collect()
    };
    let pool = match rng.below(100) {
        0..=29 => return Who::Admin,
        30..=57 => of(&|t| !t.deleted && t.parent.is_none()),
        58..=81 => of(&|t| !t.deleted && t.parent.is_some()),
        82..=93 => of(&|t| t.deleted),
        _ => Vec::new(),
    };
    Who::Tenant(rng.pick(&pool).cloned().unwrap_or_else(|| rng.uuid()))
}

/// Mostly a tenant the principal sees, else any tenant ever made, else an unknown id.
fn target(rng: &mut Rng, model: &Model, who: &Who) -> String {
    let visible = model.visible(who);
    if !visible.is_empty() && rng.chance(60) {
        return visible[rng.below(visible.len())].id.clone();
    }
    match rng.pick(&model.tenants) {
        Some(t) if rng.chance(90) => t.id.clone(),
        _ => rng.uuid(),
    }
}

/// For a new subsidiary: often a parent tenant the principal sees, else any target.
fn holder(rng: &mut Rng, model: &Model, who: &Who) -> String {
    let parents: Vec<&Tenant> = model
        .visible(who)
        .into_iter()
        .filter(|t| t.parent.is_none())
        .collect();
    match rng.pick(&parents) {
        Some(p) if rng.chance(50) => p.id.clone(),
        _ => target(rng, model, who),
    }
}

/// The tenant's own stored name, sometimes with white space around it (trimmed away, so
/// still the same stored name).
fn same_name(rng: &mut Rng, t: &Tenant) -> Name {
    let sent = if rng.chance(20) {
        format!("  {} ", t.name)
    } else {
        t.name.clone()
    };
    Name {
        sent,
        invalid: false,
        stored: t.name.clone(),
        key: t.key.clone(),
    }
}

fn metadata(rng: &mut Rng) -> Option<Value> {
    match rng.below(5) {
        0 => None,
        1 => Some(json!({})),
        2 => Some(json!({"country": "United Kingdom"})),
        3 => Some(json!({"country": "Hong Kong", "business_unit": "retail_banking"})),
        _ => Some(json!({"n": 1.5, "tags": ["a", "b"], "nested": {"x": null, "ok": true}})),
    }
}

/// Absent, the current version, `*`, a stale version, or a tag that only looks current:
/// weak, or zero-padded (tags compare exactly, so neither matches).
fn if_match(rng: &mut Rng, current: Option<&Tenant>) -> Option<String> {
    let version = current.map_or(1, |t| t.version);
    match rng.below(20) {
        0..=7 => None,
        8..=13 => Some(format!("\"{version}\"")),
        14..=15 => Some("*".to_owned()),
        16..=18 if version > 1 && rng.chance(50) => Some(format!("\"{}\"", version - 1)),
        16..=18 => Some(format!("\"{}\"", version + 1)),
        _ if rng.chance(50) => Some(format!("W/\"{version}\"")),
        _ => Some(format!("\"0{version}\"")),
    }
}
