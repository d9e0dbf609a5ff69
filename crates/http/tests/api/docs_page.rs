//! `/docs`: a page that runs only scripts of our own origin, served from the binary.

use actix_web::test::TestRequest;

use crate::helpers::*;

async fn get(uri: &str) -> Reply {
    TestApp::new().send(TestRequest::get().uri(uri)).await
}

/// Every `src` and `href` of the page.
fn references(html: &str) -> Vec<String> {
    let mut found = Vec::new();
    for attribute in ["src=\"", "href=\""] {
        let mut rest = html;
        while let Some(start) = rest.find(attribute) {
            rest = &rest[start + attribute.len()..];
            let end = rest.find('"').unwrap_or(rest.len());
            found.push(rest[..end].to_owned());
            rest = &rest[end..];
        }
    }
    found
}

#[actix_web::test]
async fn the_page_has_a_strict_csp_and_loads_only_its_own_assets() {
    let reply = get("/docs").await;
    assert_eq!(reply.status, 200);
    assert!(reply
        .header("content-type")
        .is_some_and(|v| v.starts_with("text/html")));
    assert_eq!(reply.header("x-content-type-options"), Some("nosniff"));
    let csp = reply.header("content-security-policy").expect("a CSP");
    let directives: Vec<&str> = csp.split(';').map(str::trim).collect();
    for required in [
        "default-src 'none'",
        "script-src 'self'",
        "style-src 'self'",
        "connect-src 'self'",
        "frame-ancestors 'none'",
        "base-uri 'none'",
    ] {
        assert!(directives.contains(&required), "{required} in {csp}");
    }
    assert!(!csp.contains("unsafe"), "{csp}");
    assert!(!csp.contains("http"), "no remote origin: {csp}");

    let html = String::from_utf8_lossy(&reply.body).into_owned();
    // No inline script: every <script> has a src and an empty body.
    assert_eq!(
        html.matches("<script").count(),
        html.matches("<script src=").count()
    );
    assert_eq!(
        html.matches("<script").count(),
        html.matches("></script>").count()
    );
    assert!(!html.contains("style="), "inline style");
    let refs = references(&html);
    assert!(
        refs.contains(&"/docs/assets/swagger-ui-bundle.js".to_owned()),
        "{refs:?}"
    );
    // An empty icon of its own, so the browser does not ask for /favicon.ico (a 404).
    assert!(
        html.contains(r#"<link rel="icon" href="data:,">"#),
        "{html}"
    );
    for reference in refs.iter().filter(|r| r.as_str() != "data:,") {
        assert!(
            reference.starts_with('/') && !reference.starts_with("//"),
            "{reference}"
        );
    }
    // Every asset the page names is served.
    for reference in refs.iter().filter(|r| r.starts_with("/docs/assets/")) {
        assert_eq!(get(reference).await.status, 200, "{reference}");
    }
}

#[actix_web::test]
async fn assets_are_served_with_their_content_types() {
    let cases = [
        (
            "swagger-ui-bundle.js",
            "text/javascript; charset=utf-8",
            "SwaggerUIBundle",
        ),
        ("init.js", "text/javascript; charset=utf-8", "/openapi.json"),
        ("swagger-ui.css", "text/css; charset=utf-8", ".swagger-ui"),
        ("LICENSE", "text/plain; charset=utf-8", "Apache License"),
        ("NOTICE", "text/plain; charset=utf-8", "SmartBear"),
    ];
    for (file, content_type, sample) in cases {
        let reply = get(&format!("/docs/assets/{file}")).await;
        assert_eq!(reply.status, 200, "{file}");
        assert_eq!(reply.header("content-type"), Some(content_type), "{file}");
        assert_eq!(
            reply.header("x-content-type-options"),
            Some("nosniff"),
            "{file}"
        );
        assert!(
            String::from_utf8_lossy(&reply.body).contains(sample),
            "{file} holds {sample}"
        );
    }
}

#[actix_web::test]
async fn unknown_assets_are_404_in_the_envelope() {
    for uri in [
        "/docs/assets/nope.js",
        "/docs/assets/..%2Fmod.rs",
        "/docs/assets/",
        "/docs/assets/swagger-ui.css.map",
    ] {
        get(uri).await.assert_error(404, "NOT_FOUND");
    }
}
