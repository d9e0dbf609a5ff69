//! Compares a reply with what the model expected: status, code, every body field, the
//! ETag and Location headers, and a page's exact ordered ids. A mismatch comes back as a
//! readable diff (expected vs got).

use std::collections::HashMap;

use serde_json::{json, Value};

use super::driver::Reply;
use super::reference::{parse_time, Expect, Model, Tenant};

/// Error messages seen so far, by operation and code: a message must not vary within
/// one (operation, code), so a `404` for a hidden tenant reads like one for a missing one.
#[derive(Default)]
pub struct Messages(HashMap<(&'static str, String), String>);

pub fn check(
    expect: &Expect,
    reply: &Reply,
    model: &Model,
    kind: &'static str,
    messages: &mut Messages,
) -> Result<(), String> {
    let want_status = match expect {
        Expect::Error(status, _) => *status,
        Expect::Created(_) => 201,
        Expect::Found(_) | Expect::Updated(_) | Expect::Page { .. } => 200,
        Expect::Deleted(_) => 204,
    };
    if reply.status != want_status {
        return Err(format!(
            "status: expected {want_status} ({}), got {}\n  body: {}",
            summary(expect, model),
            reply.status,
            reply.raw
        ));
    }
    let body = || {
        reply
            .body
            .as_ref()
            .ok_or(format!("no JSON body: {:?}", reply.raw))
    };
    match expect {
        Expect::Error(_, code) => check_error(code, reply, kind, messages),
        Expect::Deleted(_) if reply.raw.is_empty() => Ok(()),
        Expect::Deleted(_) => Err(format!("204 with a body: {:?}", reply.raw)),
        Expect::Found(t) => {
            same(&t.to_json(), body()?, "tenant")?;
            check_etag(reply, t.version)
        }
        Expect::Created(t) => {
            let got = body()?;
            let id = got["tenant_id"].as_str().unwrap_or_default();
            if id.parse::<uuid::Uuid>().is_err() || model.find(id).is_some() {
                return Err(format!("created tenant_id {id:?} is not a new UUID"));
            }
            let (created, updated) = (&got["created_at"], &got["updated_at"]);
            if created != updated || !created.is_string() {
                return Err(format!(
                    "created_at {created} and updated_at {updated} differ"
                ));
            }
            let stamped = Tenant {
                id: id.to_owned(),
                created_at: created.as_str().unwrap_or_default().to_owned(),
                updated_at: created.as_str().unwrap_or_default().to_owned(),
                ..t.clone()
            };
            same(&stamped.to_json(), got, "created tenant")?;
            let location = format!("/api/v1/tenants/{id}");
            if reply.location.as_deref() != Some(location.as_str()) {
                return Err(format!(
                    "Location: expected {location}, got {:?}",
                    reply.location
                ));
            }
            check_etag(reply, 1)
        }
        Expect::Updated(t) => {
            let got = body()?;
            let updated_at = got["updated_at"].as_str().unwrap_or_default();
            if parse_time(updated_at) < parse_time(&t.updated_at) {
                return Err(format!(
                    "updated_at went back: {updated_at:?} after {:?}",
                    t.updated_at
                ));
            }
            let stamped = Tenant {
                updated_at: updated_at.to_owned(),
                ..t.clone()
            };
            same(&stamped.to_json(), got, "updated tenant")?;
            check_etag(reply, t.version)
        }
        Expect::Page {
            ids,
            total,
            limit,
            offset,
        } => check_page(body()?, ids, *total, *limit, *offset, model),
    }
}

fn check_error(
    code: &str,
    reply: &Reply,
    kind: &'static str,
    messages: &mut Messages,
) -> Result<(), String> {
    if !reply.content_type.starts_with("application/json") {
        return Err(format!("error Content-Type {:?}", reply.content_type));
    }
    let body = reply
        .body
        .as_ref()
        .ok_or(format!("error body {:?}", reply.raw))?;
    let error = &body["error"];
    let details = match code {
        "VALIDATION_ERROR" => json!({"field": "name"}),
        _ => json!({}),
    };
    if error["code"] != code || error["details"] != details {
        return Err(format!(
            "error: expected code {code} with details {details}, got {}",
            reply.raw
        ));
    }
    let message = error["message"].as_str().unwrap_or_default().to_owned();
    if code == "VALIDATION_ERROR" {
        // Its message describes the input (blank, control characters, ...), not a tenant.
        return match message.is_empty() {
            true => Err("an empty message".to_owned()),
            false => Ok(()),
        };
    }
    let first = messages
        .0
        .entry((kind, code.to_owned()))
        .or_insert_with(|| message.clone());
    if message.is_empty() || *first != message {
        return Err(format!(
            "{kind} {code}: message {message:?}, earlier {first:?} (one message per code)"
        ));
    }
    Ok(())
}

fn check_page(
    got: &Value,
    ids: &[String],
    total: usize,
    limit: usize,
    offset: usize,
    model: &Model,
) -> Result<(), String> {
    let got_ids: Vec<&str> = got["tenants"]
        .as_array()
        .map(|a| {
            a.iter()
                .map(|t| t["tenant_id"].as_str().unwrap_or("?"))
                .collect()
        })
        .unwrap_or_default();
    if got_ids != ids {
        return Err(format!(
            "page ids differ\n  expected: {}\n  got:      {}",
            names(ids.iter().map(String::as_str), model),
            names(got_ids.iter().copied(), model)
        ));
    }
    for (want, expected) in [("total_count", total), ("limit", limit), ("offset", offset)] {
        if got[want] != expected {
            return Err(format!("{want}: expected {expected}, got {}", got[want]));
        }
    }
    for (id, tenant) in ids
        .iter()
        .zip(got["tenants"].as_array().into_iter().flatten())
    {
        let t = model.find(id).ok_or("page names an unknown tenant")?;
        same(&t.to_json(), tenant, "listed tenant")?;
    }
    Ok(())
}

fn check_etag(reply: &Reply, version: u64) -> Result<(), String> {
    let want = format!("\"{version}\"");
    match reply.etag.as_deref() {
        Some(tag) if tag == want => Ok(()),
        other => Err(format!("ETag: expected {want}, got {other:?}")),
    }
}

/// Equal JSON objects, or the fields that differ. A field the model does not hold is
/// one it never sends (a nullable field it does not drive): the server must answer null.
fn same(expected: &Value, got: &Value, what: &str) -> Result<(), String> {
    let mut expected = expected.clone();
    if let (Some(e), Some(g)) = (expected.as_object_mut(), got.as_object()) {
        for key in g.keys() {
            e.entry(key.clone()).or_insert(Value::Null);
        }
    }
    let expected = &expected;
    if expected == got {
        return Ok(());
    }
    let mut lines = vec![format!("{what} differs:")];
    let empty = serde_json::Map::new();
    let (e, g) = (
        expected.as_object().unwrap_or(&empty),
        got.as_object().unwrap_or(&empty),
    );
    let mut keys: Vec<&String> = e.keys().chain(g.keys()).collect();
    keys.sort();
    keys.dedup();
    for key in keys {
        if e.get(key) != g.get(key) {
            lines.push(format!(
                "  {key}: expected {:?}, got {:?}",
                e.get(key),
                g.get(key)
            ));
        }
    }
    Err(lines.join("\n"))
}

/// Ids with the model's names, for a readable page diff.
fn names<'a>(ids: impl Iterator<Item = &'a str>, model: &Model) -> String {
    let shown: Vec<String> = ids
        .map(|id| match model.find(id) {
            Some(t) => format!("{} ({})", t.name, &id[..8]),
            None => format!("? ({id})"),
        })
        .collect();
    format!("[{}]", shown.join(", "))
}

fn summary(expect: &Expect, model: &Model) -> String {
    match expect {
        Expect::Error(_, code) => code.to_string(),
        Expect::Created(t) => format!("create {:?}", t.name),
        Expect::Found(t) | Expect::Updated(t) => format!("tenant {:?}", t.name),
        Expect::Page { ids, total, .. } => {
            format!(
                "total {total}, {}",
                names(ids.iter().map(String::as_str), model)
            )
        }
        Expect::Deleted(ids) => format!("deletes {}", names(ids.iter().map(String::as_str), model)),
    }
}
