//! Names that look alike: the second of each pair is a duplicate (409) or not a valid
//! name at all (400), on create and on rename; decomposed input is stored and returned NFC.

use reqwest::StatusCode;
use serde_json::{json, Value};

use crate::helpers::*;

/// The same name under NFKC and full case folding; each side is valid alone.
const SAME_NAME: [(&str, &str); 4] = [
    ("Straße", "STRASSE"),
    ("ΟΔΟΣ", "οδος"),
    ("Caf\u{e9}", "Cafe\u{301}"),
    ("\u{fb01}nance", "finance"),
];

/// Spoofs of "HSBC Hong Kong" that only an invisible or forbidden character tells apart.
const SPOOFS: [&str; 5] = [
    "HSBC Hong Kong\u{200b}",
    "HSBC\u{202e} Hong Kong",
    "\u{feff}HSBC Hong Kong",
    "HSBC\u{2028}Hong Kong",
    "HSBC Hong\u{e000} Kong",
];

fn subsidiary(name: &str) -> Value {
    json!({"name": name, "tenant_type": "subsidiary", "parent_tenant_id": HSBC})
}

fn parent(name: &str) -> Value {
    json!({"name": name, "tenant_type": "parent"})
}

#[tokio::test]
async fn each_pair_is_one_name_for_siblings_and_for_parents() {
    let app = TestApp::spawn().await;
    for (first, second) in SAME_NAME {
        for (who, body) in [
            (As::Tenant(HSBC), subsidiary as fn(&str) -> Value),
            (As::Admin, parent),
        ] {
            let created = app.create(who, &body(first)).await;
            json(created, StatusCode::CREATED).await;
            let (code, _) =
                error_code(app.create(who, &body(second)).await, StatusCode::CONFLICT).await;
            assert_eq!(code, "DUPLICATE_NAME", "{second}");
        }
        // And as a rename by the parent, of a sibling onto the first.
        let response = app
            .update(
                As::Tenant(HSBC),
                HSBC_LONDON,
                &json!({"name": second}),
                None,
            )
            .await;
        let (code, _) = error_code(response, StatusCode::CONFLICT).await;
        assert_eq!(code, "DUPLICATE_NAME", "rename to {second}");
    }
}

#[tokio::test]
async fn spoofing_characters_are_400_on_create_and_update() {
    let app = TestApp::spawn().await;
    for spoof in SPOOFS {
        let (code, body) = error_code(
            app.create(As::Tenant(HSBC), &subsidiary(spoof)).await,
            StatusCode::BAD_REQUEST,
        )
        .await;
        assert_eq!(code, "VALIDATION_ERROR", "{spoof:?}");
        assert_eq!(body["error"]["details"]["field"], "name", "{spoof:?}");
        let response = app
            .update(As::Tenant(HSBC), HSBC_LONDON, &json!({"name": spoof}), None)
            .await;
        let (code, _) = error_code(response, StatusCode::BAD_REQUEST).await;
        assert_eq!(code, "VALIDATION_ERROR", "{spoof:?}");
    }
}

#[tokio::test]
async fn decomposed_input_comes_back_composed() {
    let app = TestApp::spawn().await;
    let created = app
        .create(As::Tenant(HSBC), &subsidiary("HSBC Cafe\u{301}"))
        .await;
    let created = json(created, StatusCode::CREATED).await;
    assert_eq!(created["name"], "HSBC Caf\u{e9}");
    let id = created["tenant_id"].as_str().unwrap().to_owned();
    let read = json(app.get_tenant(As::Tenant(HSBC), &id).await, StatusCode::OK).await;
    assert_eq!(read["name"], "HSBC Caf\u{e9}");

    // The parent renames HSBC Hong Kong with decomposed input; the subsidiary then sends
    // its name decomposed again: the same stored name, so a metadata update of its own.
    let rename = json!({"name": "HSBC Hong Kong Cre\u{300}me"});
    let response = app.update(As::Tenant(HSBC), HSBC_HK, &rename, None).await;
    assert_eq!(
        json(response, StatusCode::OK).await["name"],
        "HSBC Hong Kong Cr\u{e8}me"
    );
    let keep = json!({"name": "HSBC Hong Kong Cre\u{300}me", "metadata": {"tier": 2}});
    let response = app.update(As::Tenant(HSBC_HK), HSBC_HK, &keep, None).await;
    let updated = json(response, StatusCode::OK).await;
    assert_eq!(updated["name"], "HSBC Hong Kong Cr\u{e8}me");
    assert_eq!(updated["metadata"], json!({"tier": 2}));
}
