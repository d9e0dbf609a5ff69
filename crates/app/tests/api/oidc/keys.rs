//! The provider's keys as mtdb keeps them: a rotation fails no request and a retired key
//! is refused, a key published without notice is fetched on its first use, a stopped
//! provider's keys work until they age out of the cache, and invented `kid`s cost the
//! provider a bounded number of key set requests.

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use jsonwebtoken::{encode, EncodingKey, Header};
use reqwest::StatusCode;
use serde_json::json;

use super::provider::{kid, Provider};
use super::*;

async fn hsbc_provider(alg: &str) -> Provider {
    Provider::start(alg, json!({"hsbc": {"claims": {"tenant_id": HSBC}}})).await
}

#[tokio::test]
async fn a_key_rotation_fails_no_request() {
    let provider = hsbc_provider("ES256").await;
    let server = serve(
        json!([issuer(&provider, &[HSBC])]),
        &[("MTDB_OIDC_REFRESH_SECS", "1")],
    )
    .await;
    let old_token = provider.token("hsbc").await;
    let old_kid = kid(&old_token);
    // Requests one after another without pause, each with a token fresh from the
    // provider, through every step of the rotation.
    let answers = Arc::new(Mutex::new(Vec::new()));
    let (stop, mut stopped) = tokio::sync::watch::channel(false);
    let load = {
        let (provider_url, base) = (provider.issuer.clone(), server.base.clone());
        let answers = Arc::clone(&answers);
        tokio::spawn(async move {
            let provider = Client {
                issuer: provider_url,
                http: reqwest::Client::new(),
            };
            while !*stopped.borrow_and_update() {
                let token = provider.token().await;
                let response = provider
                    .http
                    .get(format!("{base}/api/v1/tenants/{HSBC}"))
                    .bearer_auth(&token)
                    .send()
                    .await
                    .expect("GET");
                let answer = (kid(&token), response.status());
                answers.lock().expect("answers").push(answer);
            }
        })
    };
    // New key first: published, fetched by mtdb, and only then used to sign.
    provider.keys("publish").await;
    let seen = provider.key_set_requests().await;
    provider.until_key_set_requests_exceed(seen).await;
    provider.keys("promote").await;
    let new_kid = kid(&provider.token("hsbc").await);
    // The old key leaves once no token it signed is still on its way: the load sends one
    // request at a time, so its first answer for the new key is after its last old one.
    let uses_new = || {
        answers
            .lock()
            .expect("answers")
            .iter()
            .any(|(k, _)| *k == new_kid)
    };
    tokio::time::timeout(crate::process::GUARD, async {
        while !uses_new() {
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    })
    .await
    .expect("the load used the new key");
    provider.keys("retire").await;
    let seen = provider.key_set_requests().await;
    provider.until_key_set_requests_exceed(seen).await;
    stop.send(true).expect("stop the load");
    load.await.expect("the load");
    let answers = answers.lock().expect("answers").clone();

    assert_ne!(old_kid, new_kid);
    let failed: Vec<_> = answers
        .iter()
        .filter(|(_, s)| *s != StatusCode::OK)
        .collect();
    assert!(failed.is_empty(), "failed: {failed:?}");
    assert!(
        answers.iter().any(|(k, _)| *k == old_kid),
        "the old key was used"
    );
    assert!(
        answers.iter().any(|(k, _)| *k == new_kid),
        "the new key was used"
    );
    let after = get(&server, &provider.token("hsbc").await, HSBC).await;
    assert_eq!(after.status(), StatusCode::OK);
    // The retired key left the set mtdb fetched last: a token it signed, still within
    // its lifetime, is refused.
    refused(get(&server, &old_token, HSBC).await).await;
    until_logged(&server, &["authentication failed", "unknown kid"]).await;
    server.stop().await;
}

/// The provider's token endpoint, for the load task.
struct Client {
    issuer: String,
    http: reqwest::Client,
}

impl Client {
    async fn token(&self) -> String {
        let body: serde_json::Value = self
            .http
            .post(format!("{}/token", self.issuer))
            .basic_auth("hsbc", Some("hsbc-secret"))
            .form(&[("grant_type", "client_credentials"), ("scope", "tenants")])
            .send()
            .await
            .expect("POST /token")
            .json()
            .await
            .expect("JSON");
        body["access_token"].as_str().expect("a token").to_owned()
    }
}

#[tokio::test]
async fn a_key_used_without_notice_is_fetched_on_its_first_use() {
    let provider = hsbc_provider("RS256").await;
    // The scheduled refresh (every 300 s) plays no part here.
    let env = [("MTDB_OIDC_UNKNOWN_KID_SECS", "1")];
    let server = serve(json!([issuer(&provider, &[HSBC])]), &env).await;
    let served = Instant::now();
    let old = provider.token("hsbc").await;
    assert_eq!(get(&server, &old, HSBC).await.status(), StatusCode::OK);
    provider.keys("publish").await;
    provider.keys("promote").await;
    let new = provider.token("hsbc").await;
    assert_ne!(kid(&old), kid(&new));
    // The clock is what is tested: one early fetch per second, the last at start.
    while served.elapsed() < Duration::from_secs(1) {
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let before = provider.key_set_requests().await;
    assert_eq!(get(&server, &new, HSBC).await.status(), StatusCode::OK);
    assert_eq!(get(&server, &old, HSBC).await.status(), StatusCode::OK);
    assert_eq!(provider.key_set_requests().await, before + 1);
    server.stop().await;
}

#[tokio::test]
async fn a_stopped_provider_keeps_cached_keys_until_they_age_out() {
    let mut provider = hsbc_provider("RS256").await;
    let env = [
        ("MTDB_OIDC_REFRESH_SECS", "1"),
        ("MTDB_OIDC_KEYS_MAX_AGE_SECS", "4"),
    ];
    let server = serve(json!([issuer(&provider, &[HSBC])]), &env).await;
    let token = provider.token("hsbc").await;
    // A refresh has just succeeded: the keys are confirmed at most 1 s before the stop.
    let seen = provider.key_set_requests().await;
    provider.until_key_set_requests_exceed(seen).await;
    provider.stop().await;
    let stopped = Instant::now();

    // Confirmed within the last second, kept for 4: good for at least 2 s more.
    while stopped.elapsed() < Duration::from_secs(2) {
        let response = get(&server, &token, HSBC).await;
        assert_eq!(
            response.status(),
            StatusCode::OK,
            "at {:?}",
            stopped.elapsed()
        );
    }
    // Then gone: within 4 s of the stop, plus a margin for a loaded machine.
    loop {
        let response = get(&server, &token, HSBC).await;
        if response.status() == StatusCode::UNAUTHORIZED {
            break;
        }
        assert!(
            stopped.elapsed() < Duration::from_secs(8),
            "the keys never aged out"
        );
    }
    assert!(stopped.elapsed() >= Duration::from_secs(2));
    server.stop().await;
}

#[tokio::test]
async fn a_flood_of_unknown_kids_costs_at_most_one_fetch_per_interval() {
    let provider = hsbc_provider("ES256").await;
    let env = [("MTDB_OIDC_UNKNOWN_KID_SECS", "1")];
    let server = serve(json!([issuer(&provider, &[HSBC])]), &env).await;
    let before = provider.key_set_requests().await;
    let started = Instant::now();
    let claims = json!({"iss": provider.issuer, "aud": "mtdb", "sub": "x", "tenant_id": HSBC,
                        "exp": jsonwebtoken::get_current_timestamp() + 600});
    // Rounds of 50 concurrent requests, each with a new invented `kid`, for 2.5 s: past
    // the first second after the fetch at start, when an early fetch is allowed again.
    let mut sent = 0;
    while started.elapsed() < Duration::from_millis(2_500) {
        let forged = (sent..sent + 50).map(|n| {
            let header = Header {
                kid: Some(format!("invented-{n}")),
                ..Header::default()
            };
            let token = encode(&header, &claims, &EncodingKey::from_secret(b"x")).expect("sign");
            let server = &server;
            async move { get(server, &token, HSBC).await.status() }
        });
        for status in futures::future::join_all(forged).await {
            assert_eq!(status, StatusCode::UNAUTHORIZED);
        }
        sent += 50;
    }
    let elapsed = started.elapsed().as_secs_f64();
    let fetches = provider.key_set_requests().await - before;
    assert!(fetches >= 1, "an unknown kid does cause a fetch");
    let bound = elapsed.ceil() as u64 + 1;
    assert!(
        fetches <= bound,
        "{fetches} fetches for {sent} requests in {elapsed:.1} s (bound {bound})"
    );
    server.stop().await;
}
