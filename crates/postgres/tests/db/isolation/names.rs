//! Names that look alike, written as raw SQL that skips the domain: PostgreSQL alone must
//! refuse the second of each pair (unique index) or the name itself (check constraints).

use unicode_properties::{GeneralCategory as G, UnicodeGeneralCategory};

use crate::support::*;

/// Pairs that are "the same name": NFKC plus full case folding. Each side is valid alone.
pub const SPOOF_PAIRS: [(&str, &str); 5] = [
    ("Straße", "STRASSE"),
    ("ΟΔΟΣ", "οδος"),
    ("\u{fb01}nance", "finance"),
    ("Caf\u{e9}", "CAF\u{c9}"),
    ("İstanbul Bank", "i\u{307}stanbul bank"),
];

/// A valid name and a spoof of it that only a forbidden character or form tells apart.
const SPOOF_CHARACTERS: [(&str, &str); 8] = [
    ("HSBC Hong Kong", "HSBC Hong Kong\u{200b}"),
    ("HSBC Hong Kong", "HSBC\u{202e} Hong Kong"),
    ("HSBC Hong Kong", "\u{feff}HSBC Hong Kong"),
    ("HSBC Hong Kong", "HSBC\u{2028}Hong Kong"),
    ("HSBC Hong Kong", "HSBC Hong Kong\u{2029}"),
    ("HSBC Hong Kong", "HSBC Hong Kong\u{e000}"),
    ("HSBC Hong Kong", "HSBC Hong Kong\u{a0}"),
    ("Caf\u{e9}", "Cafe\u{301}"),
];

fn quoted(name: &str) -> String {
    format!("'{}'", name.replace('\'', "''"))
}

fn insert_parent(name: &str) -> String {
    format!(
        "insert into tenants (name, tenant_type) values ({}, 'parent')",
        quoted(name)
    )
}

fn insert_subsidiary(name: &str) -> String {
    format!(
        "insert into tenants (name, parent_tenant_id, tenant_type) \
         values ({}, '{HSBC}', 'subsidiary')",
        quoted(name)
    )
}

#[tokio::test]
async fn the_second_of_each_spoof_pair_is_a_duplicate_for_the_admin_and_a_parent() {
    let db = seeded().await;
    let mut client = app_client(&db).await;
    for (first, second) in SPOOF_PAIRS {
        for (ctx, insert) in [
            (Ctx::Admin, insert_parent as fn(&str) -> String),
            (Ctx::Tenant(HSBC), insert_subsidiary),
        ] {
            assert_eq!(exec_as(&mut client, ctx, &insert(first)).await.unwrap(), 1);
            let err = exec_as(&mut client, ctx, &insert(second))
                .await
                .expect_err(second);
            assert_eq!(code(&err), "23505", "{ctx:?} {second}: {err}");
            let constraint = err.as_db_error().and_then(|e| e.constraint());
            assert_eq!(constraint, Some("tenants_live_name_key"), "{second}");
        }
    }
}

#[tokio::test]
async fn spoofing_characters_and_unnormalized_names_are_refused_by_checks() {
    let db = seeded().await;
    let before = snapshot(&db).await;
    let mut client = app_client(&db).await;
    for (_, spoof) in SPOOF_CHARACTERS {
        for (ctx, sql) in [
            (Ctx::Admin, insert_parent(spoof)),
            (Ctx::Tenant(HSBC), insert_subsidiary(spoof)),
            (
                Ctx::Tenant(HSBC),
                format!(
                    "update tenants set name = {} where tenant_id = '{HSBC_LONDON}'",
                    quoted(spoof)
                ),
            ),
        ] {
            let err = exec_as(&mut client, ctx, &sql).await.expect_err(spoof);
            assert_eq!(code(&err), "23514", "{ctx:?} {spoof:?}: {err}");
        }
    }
    assert_eq!(snapshot(&db).await, before);
}

/// Categories Cc, Cf, Co, Zl and Zp by the domain's Unicode tables.
fn forbidden_by_the_domain(c: char) -> bool {
    matches!(
        c.general_category(),
        G::Control | G::Format | G::PrivateUse | G::LineSeparator | G::ParagraphSeparator
    )
}

#[tokio::test]
async fn the_database_refuses_exactly_the_code_points_of_the_forbidden_categories() {
    // Every scalar value but NUL (which text cannot hold), tried by the check constraint's
    // own expression as PostgreSQL stores it.
    let db = seeded().await;
    let owner = owner_client(&db).await;
    let check: String = owner
        .query_one(
            "select pg_get_expr(conbin, conrelid) from pg_constraint \
              where conname = 'tenants_name_chars_ck'",
            &[],
        )
        .await
        .unwrap()
        .get(0);
    let refused_sql = format!(
        "select cp from generate_series(1, 1114111) as cp \
          where cp not between 55296 and 57343 \
            and not (select {check} from (select chr(cp) as name) as t) order by cp",
    );
    let refused: Vec<u32> = owner
        .query(&refused_sql, &[])
        .await
        .unwrap()
        .iter()
        .map(|r| u32::try_from(r.get::<_, i32>(0)).unwrap())
        .collect();
    let expected: Vec<u32> = (1..=0x10_ffff)
        .filter_map(char::from_u32)
        .filter(|c| forbidden_by_the_domain(*c))
        .map(u32::from)
        .collect();
    assert_eq!(refused, expected);
}
