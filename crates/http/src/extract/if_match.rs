//! `If-Match` and `If-None-Match` (RFC 9110 sections 13.1.1 and 13.1.2) as domain
//! [`Precondition`]s. Our ETags are strong, `"<version>"`, and compared exactly as opaque
//! strings: `"04"` is not `"4"`. `If-Match` uses the strong comparison, so a weak tag never
//! matches; `If-None-Match` the weak one, so `W/"4"` matches `"4"`. A tag that names no
//! version, or does not parse, contributes nothing (docs/api.md, "Conditional requests").

use std::future::{ready, Ready};

use actix_web::dev::Payload;
use actix_web::http::header::{HeaderName, IF_MATCH, IF_NONE_MATCH};
use actix_web::{FromRequest, HttpRequest};
use mtdb_domain::{Precondition, Version};

use super::entity_tags::{self, Tags};
use crate::error::ApiError;

/// The condition of a `PUT` or `DELETE`; [`Precondition::None`] without the header.
pub(crate) struct IfMatch(pub Precondition);

/// The versions a `GET` names as already held; [`Precondition::None`] without the header.
pub(crate) struct IfNoneMatch(pub Precondition);

impl FromRequest for IfMatch {
    type Error = ApiError;
    type Future = Ready<Result<Self, ApiError>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        ready(Ok(Self(condition(req, IF_MATCH, Comparison::Strong))))
    }
}

impl FromRequest for IfNoneMatch {
    type Error = ApiError;
    type Future = Ready<Result<Self, ApiError>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        ready(Ok(Self(condition(req, IF_NONE_MATCH, Comparison::Weak))))
    }
}

#[derive(Clone, Copy)]
pub(crate) enum Comparison {
    Strong,
    Weak,
}

fn condition(req: &HttpRequest, name: HeaderName, comparison: Comparison) -> Precondition {
    let mut values = req.headers().get_all(name).peekable();
    if values.peek().is_none() {
        return Precondition::None;
    }
    // Repeated headers are one comma-separated list (RFC 9110 section 5.3); a value
    // that is not text cannot name a version and so matches nothing.
    let joined: Vec<&str> = values.filter_map(|value| value.to_str().ok()).collect();
    parse(&joined.join(","), comparison)
}

pub(crate) fn parse(raw: &str, comparison: Comparison) -> Precondition {
    match entity_tags::parse(raw) {
        Tags::Any => Precondition::AnyVersion,
        Tags::List(tags) => Precondition::OneOf(
            tags.into_iter()
                .filter(|tag| matches!(comparison, Comparison::Weak) || !tag.weak)
                .filter_map(|tag| Version::from_opaque_tag(tag.opaque))
                .collect(),
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn one_of(versions: &[i64]) -> Precondition {
        Precondition::OneOf(versions.iter().copied().map(Version::new).collect())
    }

    #[test]
    fn star_means_any_version_for_both() {
        for comparison in [Comparison::Strong, Comparison::Weak] {
            assert_eq!(parse("*", comparison), Precondition::AnyVersion);
            assert_eq!(parse("  * ", comparison), Precondition::AnyVersion);
        }
    }

    #[test]
    fn strong_comparison_lists_strong_tags_of_exact_versions() {
        let strong = |raw| parse(raw, Comparison::Strong);
        assert_eq!(strong(r#""3""#), one_of(&[3]));
        assert_eq!(strong(r#""3", "7""#), one_of(&[3, 7]));
        assert_eq!(strong(r#"W/"3""#), one_of(&[]));
        assert_eq!(strong(r#"W/"3", "4""#), one_of(&[4]));
        assert_eq!(strong(r#""04", "4 ", "+4", "4.0""#), one_of(&[]));
    }

    #[test]
    fn weak_comparison_ignores_weakness_but_not_spelling() {
        let weak = |raw| parse(raw, Comparison::Weak);
        assert_eq!(weak(r#"W/"3""#), one_of(&[3]));
        assert_eq!(weak(r#"W/"3", "4""#), one_of(&[3, 4]));
        assert_eq!(weak(r#"W/"03""#), one_of(&[]));
    }

    #[test]
    fn unparseable_tags_contribute_nothing() {
        for junk in ["3", r#""""#, r#""1.0""#, "", r#""99999999999999999999""#] {
            assert_eq!(parse(junk, Comparison::Strong), one_of(&[]), "{junk}");
        }
        // `*` is only meaningful alone; inside a list it is just another non-tag.
        assert_eq!(parse(r#"*, "2""#, Comparison::Strong), one_of(&[2]));
    }
}
