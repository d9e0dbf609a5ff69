//! The OpenAPI document generated from the code, and a page that renders it.

use std::sync::LazyLock;

use actix_web::http::header::ContentType;
use actix_web::HttpResponse;
use utoipa::OpenApi;

use crate::openapi::ApiDoc;

// Generated once: the document is a function of the code, not of the request.
static OPENAPI_JSON: LazyLock<String> = LazyLock::new(|| match ApiDoc::openapi().to_json() {
    Ok(json) => json,
    Err(err) => {
        tracing::error!(error = %err, "the OpenAPI document could not be serialized");
        r#"{"openapi":"3.1.0","info":{"title":"mtdb","version":"unknown"},"paths":{}}"#.to_owned()
    }
});

/// The page is static HTML that loads the Scalar renderer and points it at
/// `/openapi.json`. (`utoipa-swagger-ui` downloads its assets at build time, which
/// cannot work on machines without internet access.)
const DOCS_HTML: &str = include_str!("docs.html");

pub(crate) async fn openapi_json() -> HttpResponse {
    HttpResponse::Ok()
        .content_type(ContentType::json())
        .body(OPENAPI_JSON.as_str())
}

pub(crate) async fn docs_page() -> HttpResponse {
    HttpResponse::Ok()
        .content_type(ContentType::html())
        .body(DOCS_HTML)
}
