//! The docs page's assets, compiled into the binary: Swagger UI (vendored, pinned, see
//! `crates/http/vendor/swagger-ui/README.md`), its licenses, and our start-up script.
//! Nothing is fetched from another origin.

use actix_web::http::header::{self, CacheControl, CacheDirective};
use actix_web::{HttpRequest, HttpResponse};

use super::headers::{CSP, NOSNIFF};
use crate::error::ApiError;

struct Asset {
    name: &'static str,
    content_type: &'static str,
    bytes: &'static [u8],
}

const JS: &str = "text/javascript; charset=utf-8";
const CSS: &str = "text/css; charset=utf-8";
const TEXT: &str = "text/plain; charset=utf-8";

macro_rules! vendored {
    ($name:literal, $content_type:expr) => {
        Asset {
            name: $name,
            content_type: $content_type,
            bytes: include_bytes!(concat!("../../vendor/swagger-ui/", $name)),
        }
    };
}

const ASSETS: [Asset; 6] = [
    vendored!("swagger-ui-bundle.js", JS),
    vendored!("swagger-ui.css", CSS),
    vendored!("LICENSE", TEXT),
    vendored!("NOTICE", TEXT),
    vendored!("swagger-ui-bundle.js.LICENSE.txt", TEXT),
    Asset {
        name: "init.js",
        content_type: JS,
        bytes: include_bytes!("init.js"),
    },
];

/// `GET /docs/assets/{file}`: one of the files above, or the `404` of an unknown route.
pub(crate) async fn asset(req: HttpRequest) -> Result<HttpResponse, ApiError> {
    let name = req.match_info().get("file").unwrap_or_default();
    let asset = ASSETS
        .iter()
        .find(|asset| asset.name == name)
        .ok_or_else(ApiError::route_not_found)?;
    Ok(HttpResponse::Ok()
        .content_type(asset.content_type)
        .insert_header(NOSNIFF)
        // The files change only with the binary; an hour bounds a stale copy.
        .insert_header(CacheControl(vec![
            CacheDirective::Public,
            CacheDirective::MaxAge(3600),
        ]))
        .insert_header((header::CONTENT_SECURITY_POLICY, CSP))
        .body(asset.bytes))
}
