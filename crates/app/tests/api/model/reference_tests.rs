//! The reference model against the rule tables of docs/api.md, on the demo organizations
//! and without a server: so that a reviewer can check the model itself, and so that a
//! model bent to agree with a wrong server fails here.

use serde_json::json;

use super::names::Name;
use super::ops::Op;
use super::reference::{parse_time, Expect, Model, Tenant, Who};
use crate::helpers::{BARCLAYS, BARCLAYS_UK, HSBC, HSBC_HK, HSBC_LONDON};

const UNKNOWN: &str = "00000000-0000-4000-8000-0000000000ff";

fn demo() -> Model {
    let at = "2026-11-26T09:00:00.000001Z";
    let tenant = |id: &str, name: &str, parent: Option<&str>| Tenant {
        id: id.to_owned(),
        name: name.to_owned(),
        key: name.to_lowercase(),
        parent: parent.map(str::to_owned),
        metadata: json!({}),
        created_at: at.to_owned(),
        created: parse_time(at),
        updated_at: at.to_owned(),
        version: 1,
        deleted: false,
    };
    Model {
        tenants: vec![
            tenant(HSBC, "HSBC", None),
            tenant(HSBC_HK, "HSBC Hong Kong", Some(HSBC)),
            tenant(HSBC_LONDON, "HSBC London", Some(HSBC)),
            tenant(BARCLAYS, "Barclays", None),
            tenant(BARCLAYS_UK, "Barclays UK", Some(BARCLAYS)),
        ],
    }
}

fn name(sent: &str, key: &str) -> Name {
    Name {
        sent: sent.to_owned(),
        invalid: false,
        stored: sent.to_owned(),
        key: key.to_owned(),
    }
}

fn t(id: &str) -> Who {
    Who::Tenant(id.to_owned())
}

/// The status (and code) the model expects.
fn status(model: &Model, op: Op) -> String {
    match model.expect(&op) {
        Expect::Error(status, code) => format!("{status} {code}"),
        Expect::Created(_) => "201".to_owned(),
        Expect::Found(_) | Expect::Updated(_) | Expect::Page { .. } => "200".to_owned(),
        Expect::Deleted(_) => "204".to_owned(),
    }
}

fn rename(who: Who, id: &str, to: Name) -> Op {
    let (id, if_match, metadata) = (id.to_owned(), None, None);
    Op::Update {
        who,
        id,
        name: to,
        metadata,
        if_match,
    }
}

#[test]
fn the_model_follows_the_visibility_table() {
    let model = demo();
    let seen =
        |who: Who| -> Vec<String> { model.visible(&who).iter().map(|t| t.id.clone()).collect() };
    assert_eq!(seen(Who::Admin).len(), 5);
    assert_eq!(seen(t(HSBC)), [HSBC, HSBC_HK, HSBC_LONDON]);
    assert_eq!(seen(t(HSBC_HK)), [HSBC_HK]);
    assert!(seen(t(UNKNOWN)).is_empty());
    let mut gone = demo();
    gone.apply(&Expect::Deleted(vec![BARCLAYS_UK.to_owned()]), None);
    assert!(
        gone.visible(&t(BARCLAYS_UK)).is_empty(),
        "a deleted tenant sees nothing"
    );
}

#[test]
fn the_model_follows_the_rename_rule() {
    let model = demo();
    let cases = [
        // A parent renaming itself could collide with another organization: 403 whether
        // the name is taken ("Barclays") or not.
        (t(HSBC), HSBC, name("barclays", "barclays"), "403 FORBIDDEN"),
        (t(HSBC), HSBC, name("Free", "free"), "403 FORBIDDEN"),
        // A subsidiary renaming itself: 403; its parent may, within the siblings it sees.
        (
            t(HSBC_HK),
            HSBC_HK,
            name("HSBC LONDON", "hsbc london"),
            "403 FORBIDDEN",
        ),
        (
            t(HSBC),
            HSBC_HK,
            name("HSBC LONDON", "hsbc london"),
            "409 DUPLICATE_NAME",
        ),
        (
            t(HSBC),
            HSBC_HK,
            name("HSBC Kowloon", "hsbc kowloon"),
            "200",
        ),
        // A change of case is a rename; the same stored name is a metadata update.
        (
            t(HSBC_HK),
            HSBC_HK,
            name("hsbc hong kong", "hsbc hong kong"),
            "403 FORBIDDEN",
        ),
        (
            t(HSBC_HK),
            HSBC_HK,
            name("HSBC Hong Kong", "hsbc hong kong"),
            "200",
        ),
        // The admin names anything; invisible is 404 before anything else.
        (
            Who::Admin,
            HSBC,
            name("BARCLAYS", "barclays"),
            "409 DUPLICATE_NAME",
        ),
        (Who::Admin, HSBC, name("hsbc", "hsbc"), "200"),
        (t(BARCLAYS), HSBC_HK, name("Free", "free"), "404 NOT_FOUND"),
    ];
    for (who, id, to, expected) in cases {
        let what = format!("{who:?} renaming {id} to {:?}", to.sent);
        assert_eq!(status(&model, rename(who, id, to)), expected, "{what}");
    }
}

#[test]
fn the_model_checks_writes_in_the_documented_order() {
    let model = demo();
    let create = |who: Who, parent: Option<&str>| Op::Create {
        who,
        name: name("New", "new"),
        parent: parent.map(str::to_owned),
        metadata: None,
    };
    let delete = |who: Who, id: &str, if_match: Option<&str>, cascade: Option<bool>| Op::Delete {
        who,
        id: id.to_owned(),
        cascade,
        if_match: if_match.map(str::to_owned),
    };
    let cases = [
        (create(t(HSBC), None), "403 FORBIDDEN"),
        (create(t(HSBC), Some(BARCLAYS)), "404 NOT_FOUND"),
        (
            create(t(HSBC), Some(HSBC_HK)),
            "409 HIERARCHY_DEPTH_EXCEEDED",
        ),
        (create(t(HSBC_HK), Some(HSBC)), "404 NOT_FOUND"),
        (create(t(HSBC), Some(HSBC)), "201"),
        (delete(t(HSBC_HK), HSBC_HK, None, None), "403 FORBIDDEN"),
        (
            delete(t(HSBC), BARCLAYS_UK, Some("\"9\""), None),
            "404 NOT_FOUND",
        ),
        (delete(t(HSBC), HSBC, Some("\"9\""), None), "403 FORBIDDEN"),
        (
            delete(Who::Admin, HSBC, Some("\"9\""), None),
            "412 PRECONDITION_FAILED",
        ),
        (
            delete(Who::Admin, HSBC, Some("W/\"1\""), None),
            "412 PRECONDITION_FAILED",
        ),
        (
            delete(Who::Admin, HSBC, Some("\"1\""), None),
            "409 HAS_SUBSIDIARIES",
        ),
        (delete(Who::Admin, HSBC, Some("*"), Some(true)), "204"),
        (delete(t(HSBC), HSBC_LONDON, None, Some(false)), "204"),
    ];
    for (op, expected) in cases {
        assert_eq!(status(&model, op.clone()), expected, "{op}");
    }
}
