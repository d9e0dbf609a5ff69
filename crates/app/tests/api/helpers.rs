use std::time::Duration;

use mtdb_app::config::ServeSettings;
use mtdb_app::startup::Application;
use mtdb_domain::{Principal, TenantId};
use mtdb_testing::TestDatabase;
use reqwest::{Response, StatusCode};
use serde_json::Value;

pub const HSBC: &str = "00000000-0000-4000-8000-000000000001";
pub const HSBC_HK: &str = "00000000-0000-4000-8000-000000000011";
pub const HSBC_LONDON: &str = "00000000-0000-4000-8000-000000000012";
pub const BARCLAYS: &str = "00000000-0000-4000-8000-000000000002";
pub const BARCLAYS_UK: &str = "00000000-0000-4000-8000-000000000021";

pub const SECRET: &[u8] = b"an-end-to-end-test-secret-of-at-least-32-bytes";

/// A running server over a fresh, seeded database.
pub struct TestApp {
    pub address: String,
    pub client: reqwest::Client,
    /// `http://127.0.0.1:<port>` of the metrics listener, when metrics are on.
    pub metrics_address: Option<String>,
    // Kept for the test's lifetime: dropping it drops the database.
    _db: TestDatabase,
}

/// Who a request acts as.
#[derive(Clone, Copy)]
pub enum As {
    Admin,
    Tenant(&'static str),
}

impl TestApp {
    pub async fn spawn() -> Self {
        Self::spawn_with(|_| {}).await
    }

    /// As [`spawn`](Self::spawn), with `adjust` applied to the settings first.
    pub async fn spawn_with(adjust: impl FnOnce(&mut ServeSettings)) -> Self {
        let db = TestDatabase::create().await;
        mtdb_postgres_admin::seed_demo(db.admin_url())
            .await
            .expect("seeding the demo");
        Self::spawn_on(db, adjust).await
    }

    /// As [`spawn_with`](Self::spawn_with), over `db` as the test arranged it.
    pub async fn spawn_on(db: TestDatabase, adjust: impl FnOnce(&mut ServeSettings)) -> Self {
        let mut settings = ServeSettings::ephemeral(db.app_url(), SECRET).expect("the test URL");
        adjust(&mut settings);
        let app = Application::build(settings)
            .await
            .expect("building the app");
        let address = format!("http://127.0.0.1:{}", app.port());
        let metrics_address = app
            .metrics_port()
            .map(|port| format!("http://127.0.0.1:{port}"));
        tokio::spawn(app.run_until_stopped());
        Self {
            address,
            client: reqwest::Client::new(),
            metrics_address,
            _db: db,
        }
    }

    /// The owner's URL of this test's database, to arrange what the API cannot.
    pub fn admin_url(&self) -> &str {
        self._db.admin_url()
    }

    /// The login role's URL, to watch the server's own sessions in `pg_stat_activity`
    /// (a role sees the state of its own sessions only).
    pub fn app_url(&self) -> &str {
        self._db.app_url()
    }

    pub fn token(&self, who: As) -> String {
        token_for(who)
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{}", self.address, path)
    }

    pub async fn get(&self, who: As, path: &str) -> Response {
        self.client
            .get(self.url(path))
            .bearer_auth(self.token(who))
            .send()
            .await
            .expect("GET")
    }

    pub async fn get_tenant(&self, who: As, id: &str) -> Response {
        self.get(who, &format!("/api/v1/tenants/{id}")).await
    }

    pub async fn list(&self, who: As, query: &str) -> Response {
        self.get(who, &format!("/api/v1/tenants{query}")).await
    }

    pub async fn create(&self, who: As, body: &Value) -> Response {
        self.client
            .post(self.url("/api/v1/tenants"))
            .bearer_auth(self.token(who))
            .json(body)
            .send()
            .await
            .expect("POST")
    }

    pub async fn update(
        &self,
        who: As,
        id: &str,
        body: &Value,
        if_match: Option<&str>,
    ) -> Response {
        let mut request = self
            .client
            .put(self.url(&format!("/api/v1/tenants/{id}")))
            .bearer_auth(self.token(who))
            .json(body);
        if let Some(tag) = if_match {
            request = request.header("If-Match", tag);
        }
        request.send().await.expect("PUT")
    }

    pub async fn delete(&self, who: As, id: &str, query: &str, if_match: Option<&str>) -> Response {
        let mut request = self
            .client
            .delete(self.url(&format!("/api/v1/tenants/{id}{query}")))
            .bearer_auth(self.token(who));
        if let Some(tag) = if_match {
            request = request.header("If-Match", tag);
        }
        request.send().await.expect("DELETE")
    }

    /// The ids a principal sees, in list order.
    pub async fn visible_ids(&self, who: As) -> Vec<String> {
        let page = json(self.list(who, "?limit=1000").await, StatusCode::OK).await;
        page["tenants"]
            .as_array()
            .expect("a tenants array")
            .iter()
            .map(|t| t["tenant_id"].as_str().expect("an id").to_owned())
            .collect()
    }
}

/// A token signed with the servers' test secret.
pub fn token_for(who: As) -> String {
    let principal = match who {
        As::Admin => Principal::PlatformAdmin,
        As::Tenant(id) => Principal::Tenant(id.parse::<TenantId>().expect("a demo id")),
    };
    mtdb_http::issue_hs256_token(
        SECRET,
        principal,
        "e2e",
        Duration::from_secs(600),
        None,
        None,
    )
    .expect("signing a token")
}

/// Asserts the status and returns the JSON body.
pub async fn json(response: Response, expected: StatusCode) -> Value {
    let status = response.status();
    let body = response.text().await.expect("a body");
    assert_eq!(status, expected, "body: {body}");
    serde_json::from_str(&body).expect("a JSON body")
}

/// Asserts an error response: status, JSON content type and the documented code.
pub async fn error_code(response: Response, expected: StatusCode) -> (String, Value) {
    let content_type = response
        .headers()
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned();
    assert!(
        content_type.starts_with("application/json"),
        "{content_type}"
    );
    let body = json(response, expected).await;
    let code = body["error"]["code"]
        .as_str()
        .expect("an error code")
        .to_owned();
    assert!(body["error"]["message"].is_string(), "{body}");
    (code, body)
}

pub fn header(response: &Response, name: &str) -> String {
    response
        .headers()
        .get(name)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned()
}

pub fn sorted(mut ids: Vec<String>) -> Vec<String> {
    ids.sort();
    ids
}

pub fn ids(items: &[&str]) -> Vec<String> {
    sorted(items.iter().map(|s| s.to_string()).collect())
}
