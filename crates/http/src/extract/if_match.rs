//! `If-Match` and `If-None-Match` (RFC 9110 sections 13.1.1 and 13.1.2) as domain
//! [`Precondition`]s. Our ETags are strong, `"<version>"`, and compared exactly as opaque
//! strings: `"04"` is not `"4"`. `If-Match` uses the strong comparison, so a weak tag never
//! matches; `If-None-Match` the weak one, so `W/"4"` matches `"4"`. A well-formed tag that
//! names no version of ours matches nothing; a value that is not `*` or a list of
//! well-formed tags is a `400` saying how to write one (docs/api.md, "Conditional requests").

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
        ready(condition(req, IF_MATCH, Comparison::Strong).map(Self))
    }
}

impl FromRequest for IfNoneMatch {
    type Error = ApiError;
    type Future = Ready<Result<Self, ApiError>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        ready(condition(req, IF_NONE_MATCH, Comparison::Weak).map(Self))
    }
}

#[derive(Clone, Copy)]
pub(crate) enum Comparison {
    Strong,
    Weak,
}

fn condition(
    req: &HttpRequest,
    name: HeaderName,
    comparison: Comparison,
) -> Result<Precondition, ApiError> {
    let mut values = req.headers().get_all(&name).peekable();
    if values.peek().is_none() {
        return Ok(Precondition::None);
    }
    // Repeated headers are one comma-separated list (RFC 9110 section 5.3).
    let joined: Option<Vec<&str>> = values.map(|value| value.to_str().ok()).collect();
    joined
        .and_then(|joined| parse(&joined.join(","), comparison))
        .ok_or_else(|| unreadable(&name))
}

/// The `400` for a value that holds no readable condition, naming the header.
fn unreadable(name: &HeaderName) -> ApiError {
    let header = if name == IF_MATCH {
        "If-Match"
    } else {
        "If-None-Match"
    };
    ApiError::validation(
        header,
        format!(
            "must be `*` or entity tags exactly as the ETag header gave them, quotes \
             included: {header}: \"3\""
        ),
    )
}

pub(crate) fn parse(raw: &str, comparison: Comparison) -> Option<Precondition> {
    Some(match entity_tags::parse(raw)? {
        Tags::Any => Precondition::AnyVersion,
        Tags::List(tags) => Precondition::OneOf(
            tags.into_iter()
                .filter(|tag| matches!(comparison, Comparison::Weak) || !tag.weak)
                .filter_map(|tag| Version::from_opaque_tag(tag.opaque))
                .collect(),
        ),
    })
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
            assert_eq!(parse("*", comparison), Some(Precondition::AnyVersion));
            assert_eq!(parse("  * ", comparison), Some(Precondition::AnyVersion));
        }
    }

    #[test]
    fn strong_comparison_lists_strong_tags_of_exact_versions() {
        let strong = |raw| parse(raw, Comparison::Strong);
        assert_eq!(strong(r#""3""#), Some(one_of(&[3])));
        assert_eq!(strong(r#""3", "7""#), Some(one_of(&[3, 7])));
        assert_eq!(strong(r#"W/"3""#), Some(one_of(&[])));
        assert_eq!(strong(r#"W/"3", "4""#), Some(one_of(&[4])));
        assert_eq!(strong(r#""04", "+4", "4.0""#), Some(one_of(&[])));
    }

    #[test]
    fn weak_comparison_ignores_weakness_but_not_spelling() {
        let weak = |raw| parse(raw, Comparison::Weak);
        assert_eq!(weak(r#"W/"3""#), Some(one_of(&[3])));
        assert_eq!(weak(r#"W/"3", "4""#), Some(one_of(&[3, 4])));
        assert_eq!(weak(r#"W/"03""#), Some(one_of(&[])));
    }

    #[test]
    fn well_formed_tags_of_no_version_match_nothing_unreadable_values_are_none() {
        for foreign in [r#""""#, r#""1.0""#, r#""99999999999999999999""#] {
            assert_eq!(
                parse(foreign, Comparison::Strong),
                Some(one_of(&[])),
                "{foreign}"
            );
        }
        for junk in ["3", "", "null", "garbage", r#"*, "2""#] {
            assert_eq!(parse(junk, Comparison::Strong), None, "{junk}");
        }
    }
}
