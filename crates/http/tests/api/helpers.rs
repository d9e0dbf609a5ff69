use std::sync::Arc;
use std::time::Duration;

use actix_web::http::header::HeaderMap;
use actix_web::http::StatusCode;
use actix_web::test::{self, TestRequest};
use actix_web::web::Bytes;
use chrono::{DateTime, Utc};
use mtdb_domain::{fixture, Metadata, Placement, Principal, Tenant, TenantId, Version};
use mtdb_http::{app, issue_hs256_token, ApiDeps, JwtSettings, TokenVerifier};
use mtdb_ports::{MockHealthProbe, MockTenantService};
use serde_json::Value;

pub const SECRET: &[u8] = b"test-only-secret-of-at-least-32-bytes";

// The demo ids (README).
pub const HSBC: &str = "00000000-0000-4000-8000-000000000001";
pub const HSBC_HK: &str = "00000000-0000-4000-8000-000000000011";
pub const HSBC_LONDON: &str = "00000000-0000-4000-8000-000000000012";
pub const BARCLAYS: &str = "00000000-0000-4000-8000-000000000002";

pub const CREATED_AT: &str = "2026-11-26T10:00:00.123456Z";
pub const UPDATED_AT: &str = "2026-11-26T11:30:00.000001Z";

/// One app under test: the mocks it will consult and the JWT settings it verifies with.
pub struct TestApp {
    pub service: MockTenantService,
    pub health: MockHealthProbe,
    pub jwt: JwtSettings,
}

impl TestApp {
    /// Mocks without expectations: any call to them fails the test.
    pub fn new() -> Self {
        Self {
            service: MockTenantService::new(),
            health: MockHealthProbe::new(),
            jwt: jwt_settings(),
        }
    }

    pub async fn send(self, request: TestRequest) -> Reply {
        let verifier = TokenVerifier::new(self.jwt).expect("test JWT settings are valid");
        let deps = ApiDeps {
            service: Arc::new(self.service),
            health: Arc::new(self.health),
            verifier: Arc::new(verifier),
            metrics: None,
            primary_reads: None,
        };
        let service = test::init_service(app(deps)).await;
        let response = test::call_service(&service, request.to_request()).await;
        let status = response.status();
        let headers = response.headers().clone();
        let body = test::read_body(response).await;
        Reply {
            status,
            headers,
            body,
        }
    }
}

pub fn jwt_settings() -> JwtSettings {
    JwtSettings {
        hs256_secret: SECRET.to_vec().into(),
        public_key_pem: None,
        issuer: None,
        audience: None,
    }
}

/// A failure a mock answers with, and the status and code it must become.
pub type ErrorCase<E> = (fn() -> E, u16, &'static str);

pub struct Reply {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub body: Bytes,
}

impl Reply {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|value| value.to_str().ok())
    }

    pub fn json(&self) -> Value {
        serde_json::from_slice(&self.body).unwrap_or_else(|err| {
            panic!(
                "body is not JSON ({err}): {:?}",
                String::from_utf8_lossy(&self.body)
            )
        })
    }

    /// Asserts the documented error envelope and returns its `details`.
    #[track_caller]
    pub fn assert_error(&self, status: u16, code: &str) -> Value {
        let body = self.json();
        assert_eq!(self.status.as_u16(), status, "body: {body}");
        assert_eq!(self.header("content-type"), Some("application/json"));
        assert_eq!(body["error"]["code"], code, "body: {body}");
        assert!(body["error"]["message"]
            .as_str()
            .is_some_and(|m| !m.is_empty()));
        assert!(body["error"]["details"].is_object(), "body: {body}");
        body["error"]["details"].clone()
    }

    /// Asserts a `400 VALIDATION_ERROR` that names `field`.
    #[track_caller]
    pub fn assert_invalid(&self, field: &str) {
        let details = self.assert_error(400, "VALIDATION_ERROR");
        assert_eq!(details["field"], field);
    }
}

pub fn id(raw: &str) -> TenantId {
    raw.parse().expect("a valid test id")
}

pub fn at(raw: &str) -> DateTime<Utc> {
    raw.parse().expect("a valid test timestamp")
}

/// A stored tenant as the service would return it.
pub fn tenant(tenant_id: &str, name: &str, parent: Option<&str>, version: i64) -> Tenant {
    let placement = parent.map_or(Placement::TopLevel, |p| Placement::SubsidiaryOf(id(p)));
    Tenant {
        name: fixture::name(name),
        metadata: Metadata::parse(Some(serde_json::json!({"country": "Hong Kong"})))
            .expect("valid test metadata"),
        created_at: at(CREATED_AT),
        updated_at: at(UPDATED_AT),
        version: Version::new(version),
        ..fixture::tenant(id(tenant_id), placement)
    }
}

/// [`tenant`] as the API answers it: every field, written out as docs/api.md shows them.
pub fn tenant_json(tenant_id: &str, name: &str, parent: Option<&str>) -> Value {
    serde_json::json!({
        "tenant_id": tenant_id,
        "name": name,
        "parent_tenant_id": parent,
        "tenant_type": if parent.is_some() { "subsidiary" } else { "parent" },
        "metadata": {"country": "Hong Kong"},
        "created_at": CREATED_AT,
        "updated_at": UPDATED_AT,
    })
}

pub fn admin_token() -> String {
    token_for(Principal::PlatformAdmin)
}

pub fn tenant_token(tenant_id: &str) -> String {
    token_for(Principal::Tenant(id(tenant_id)))
}

fn token_for(principal: Principal) -> String {
    let ttl = Duration::from_secs(300);
    issue_hs256_token(SECRET, principal, "test-user", ttl, None, None).expect("token issued")
}

/// A request with `Authorization: Bearer <token>`.
pub fn with_token(request: TestRequest, token: &str) -> TestRequest {
    request.insert_header(("authorization", format!("Bearer {token}")))
}

/// A request as the platform admin.
pub fn as_admin(request: TestRequest) -> TestRequest {
    with_token(request, &admin_token())
}

/// A JSON body with its content type.
pub fn json_body(request: TestRequest, body: &Value) -> TestRequest {
    request
        .insert_header(("content-type", "application/json"))
        .set_payload(body.to_string())
}
