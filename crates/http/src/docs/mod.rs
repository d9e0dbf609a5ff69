//! The OpenAPI document generated from the code, and a page that renders it with
//! assets served from this binary under a strict `Content-Security-Policy`.

pub(crate) mod assets;
mod headers;

use std::sync::LazyLock;

use actix_web::http::header::{self, ContentType};
use actix_web::HttpResponse;
use utoipa::OpenApi;

use crate::openapi::ApiDoc;
use headers::{CSP, NOSNIFF};

pub(crate) use assets::asset;

// Generated once: the document is a function of the code, not of the request.
static OPENAPI_JSON: LazyLock<String> = LazyLock::new(|| match ApiDoc::openapi().to_json() {
    Ok(json) => json,
    Err(err) => {
        tracing::error!(error = %err, "the OpenAPI document could not be serialized");
        r#"{"openapi":"3.1.0","info":{"title":"mtdb","version":"unknown"},"paths":{}}"#.to_owned()
    }
});

/// Static HTML that loads Swagger UI and our start-up script from `/docs/assets/`.
/// (`utoipa-swagger-ui` downloads its assets at build time, which cannot work on
/// machines without internet access; a CDN would run a third party's script here.)
const DOCS_HTML: &str = include_str!("page.html");

pub(crate) async fn openapi_json() -> HttpResponse {
    HttpResponse::Ok()
        .content_type(ContentType::json())
        .insert_header(NOSNIFF)
        .body(OPENAPI_JSON.as_str())
}

pub(crate) async fn docs_page() -> HttpResponse {
    HttpResponse::Ok()
        .content_type(ContentType::html())
        .insert_header(NOSNIFF)
        .insert_header((header::CONTENT_SECURITY_POLICY, CSP))
        .insert_header((header::REFERRER_POLICY, "no-referrer"))
        .body(DOCS_HTML)
}
