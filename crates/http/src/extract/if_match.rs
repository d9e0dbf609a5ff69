//! `If-Match` (RFC 9110 section 13.1.1) as a domain [`Precondition`]. Our ETags are
//! strong (`"<version>"`); `If-Match` uses the strong comparison, so a weak tag never
//! matches, and neither does anything that does not parse: it contributes nothing.

use std::future::{ready, Ready};

use actix_web::dev::Payload;
use actix_web::http::header::IF_MATCH;
use actix_web::{FromRequest, HttpRequest};
use mtdb_domain::{Precondition, Version};

use crate::error::ApiError;

pub(crate) struct IfMatch(pub Precondition);

impl FromRequest for IfMatch {
    type Error = ApiError;
    type Future = Ready<Result<Self, ApiError>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let mut values = req.headers().get_all(IF_MATCH).peekable();
        if values.peek().is_none() {
            return ready(Ok(Self(Precondition::None)));
        }
        // Repeated headers are one comma-separated list (RFC 9110 section 5.3); a value
        // that is not text cannot name a version and so matches nothing.
        let joined: Vec<&str> = values.filter_map(|value| value.to_str().ok()).collect();
        ready(Ok(Self(parse(&joined.join(",")))))
    }
}

pub(crate) fn parse(raw: &str) -> Precondition {
    if raw.trim() == "*" {
        return Precondition::AnyVersion;
    }
    Precondition::OneOf(raw.split(',').filter_map(strong_version).collect())
}

fn strong_version(tag: &str) -> Option<Version> {
    let digits = tag.trim().strip_prefix('"')?.strip_suffix('"')?;
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    digits.parse().ok().map(Version::new)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn one_of(versions: &[i64]) -> Precondition {
        Precondition::OneOf(versions.iter().copied().map(Version::new).collect())
    }

    #[test]
    fn star_means_any_version() {
        assert_eq!(parse("*"), Precondition::AnyVersion);
        assert_eq!(parse("  * "), Precondition::AnyVersion);
    }

    #[test]
    fn strong_tags_are_listed() {
        assert_eq!(parse(r#""3""#), one_of(&[3]));
        assert_eq!(parse(r#""3", "7""#), one_of(&[3, 7]));
    }

    #[test]
    fn weak_and_unparseable_tags_contribute_nothing() {
        assert_eq!(parse(r#"W/"3""#), one_of(&[]));
        assert_eq!(parse(r#"W/"3", "4""#), one_of(&[4]));
        for junk in [
            "3",
            r#""""#,
            r#""-1""#,
            r#""+1""#,
            r#""1.0""#,
            "",
            r#""99999999999999999999""#,
        ] {
            assert_eq!(parse(junk), one_of(&[]), "{junk}");
        }
        // `*` is only meaningful alone; inside a list it is just another non-tag.
        assert_eq!(parse(r#"*, "2""#), one_of(&[2]));
    }
}
