//! The headers every docs response carries.

use actix_web::http::header::{self, HeaderName, HeaderValue};

/// Same origin only, no inline script or style, no plugins, no framing. `data:` images
/// are Swagger UI's icons, drawn from its own stylesheet.
pub(super) const CSP: &str = "default-src 'none'; script-src 'self'; style-src 'self'; \
                   img-src 'self' data:; connect-src 'self'; font-src 'self'; \
                   base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

/// Browsers must take each file as the type it is sent with.
pub(super) const NOSNIFF: (HeaderName, HeaderValue) = (
    header::X_CONTENT_TYPE_OPTIONS,
    HeaderValue::from_static("nosniff"),
);
