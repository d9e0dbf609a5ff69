//! Label values from a fixed set, so that no request can add a series.

/// The methods of RFC 9110 (and `PATCH`) keep their name; any other is `OTHER`.
/// Methods are case-sensitive, so `get` is `OTHER` too.
pub(super) fn method(raw: &str) -> &'static str {
    const KNOWN: [&str; 9] = [
        "GET", "HEAD", "POST", "PUT", "DELETE", "OPTIONS", "PATCH", "TRACE", "CONNECT",
    ];
    KNOWN
        .into_iter()
        .find(|known| *known == raw)
        .unwrap_or("OTHER")
}
