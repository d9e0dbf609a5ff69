//! Each issuer speaks for its own organizations only: HSBC's provider cannot act as
//! Barclays or as the platform admin, and a tenant it names outside its organization is
//! refused the same way whether that tenant exists or not.

use reqwest::StatusCode;
use serde_json::json;

use super::provider::Provider;
use super::*;

const NOBODY: &str = "00000000-0000-4000-8000-00000000dead";

fn tenant(id: &str) -> serde_json::Value {
    json!({"claims": {"tenant_id": id}})
}

#[tokio::test]
async fn each_providers_tokens_work_for_its_own_organization_only() {
    let hsbc_idp = Provider::start(
        "RS256",
        json!({
            "hsbc": tenant(HSBC), "hsbc-hk": tenant(HSBC_HK),
            "as-barclays": tenant(BARCLAYS), "as-barclays-uk": tenant(BARCLAYS_UK),
            "as-nobody": tenant(NOBODY),
            "as-admin": {"claims": {"role": "platform_admin"}},
        }),
    )
    .await;
    // Barclays' provider puts the tenant in a nested claim and the admin in a group, and
    // may also speak for the platform.
    let barclays_idp = Provider::start(
        "ES256",
        json!({
            "barclays-uk": {"claims": {"mtdb": {"tenant": BARCLAYS_UK}}},
            "as-hsbc": {"claims": {"mtdb": {"tenant": HSBC}}},
            "ops": {"claims": {"groups": ["staff", "mtdb-admins"]}},
        }),
    )
    .await;
    let server = serve(
        json!([
            issuer(&hsbc_idp, &[HSBC]),
            {"issuer": barclays_idp.issuer, "audience": "mtdb", "organizations": [BARCLAYS],
             "platform": true, "tenant_claim": "mtdb.tenant", "admin_claim": "groups",
             "admin_value": "mtdb-admins"},
        ]),
        &[],
    )
    .await;

    for (provider, client, id) in [
        (&hsbc_idp, "hsbc", HSBC_LONDON),
        (&hsbc_idp, "hsbc-hk", HSBC_HK),
        (&barclays_idp, "barclays-uk", BARCLAYS_UK),
        (&barclays_idp, "ops", HSBC),
    ] {
        let token = provider.token(client).await;
        let response = get(&server, &token, id).await;
        assert_eq!(response.status(), StatusCode::OK, "{client} reads {id}");
    }

    let foreign = refused(get(&server, &hsbc_idp.token("as-barclays").await, BARCLAYS).await).await;
    for (provider, client) in [
        (&hsbc_idp, "as-barclays-uk"),
        (&hsbc_idp, "as-nobody"),
        (&hsbc_idp, "as-admin"),
        (&barclays_idp, "as-hsbc"),
        // Twice: the remembered refusal answers as the first did.
        (&hsbc_idp, "as-barclays"),
        (&hsbc_idp, "as-nobody"),
    ] {
        let token = provider.token(client).await;
        let answer = refused(get(&server, &token, BARCLAYS).await).await;
        assert_eq!(
            answer, foreign,
            "{client}: the same status, challenge and body"
        );
    }
    server.stop().await;
}
