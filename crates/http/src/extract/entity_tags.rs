//! The entity-tag lists of `If-Match` and `If-None-Match` (RFC 9110 sections 8.8.3 and
//! 13.1): `*`, or a comma-separated list of `"opaque"` and `W/"opaque"` tags. Only the
//! grammar lives here; which tags count (weak or not) is each header's to say.

/// One header's value: `*`, or the well-formed tags it lists.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum Tags<'a> {
    Any,
    List(Vec<Tag<'a>>),
}

#[derive(Debug, PartialEq, Eq)]
pub(crate) struct Tag<'a> {
    pub weak: bool,
    /// The text between the quotes, compared exactly: it is opaque.
    pub opaque: &'a str,
}

/// Reads a header value. `*` counts only alone; an element that is not a well-formed tag
/// (unquoted, holding a space, `*` inside a list) is skipped up to the next comma: it
/// names nothing, so it can never make a condition match.
pub(crate) fn parse(raw: &str) -> Tags<'_> {
    if raw.trim_matches(OWS) == "*" {
        return Tags::Any;
    }
    let mut tags = Vec::new();
    let mut rest = raw;
    loop {
        rest = rest.trim_start_matches(|c| OWS.contains(&c) || c == ',');
        if rest.is_empty() {
            return Tags::List(tags);
        }
        match entity_tag(rest) {
            Some((tag, after)) if ends_element(after) => {
                tags.push(tag);
                rest = after;
            }
            _ => rest = rest.find(',').map_or("", |comma| &rest[comma..]),
        }
    }
}

const OWS: &[char] = &[' ', '\t'];

/// `[W/] DQUOTE *etagc DQUOTE`, and what follows it. `W/` is case-sensitive.
fn entity_tag(s: &str) -> Option<(Tag<'_>, &str)> {
    let (weak, s) = match s.strip_prefix("W/") {
        Some(rest) => (true, rest),
        None => (false, s),
    };
    let quoted = s.strip_prefix('"')?;
    let end = quoted.find('"')?;
    let opaque = &quoted[..end];
    opaque
        .bytes()
        .all(is_etagc)
        .then_some((Tag { weak, opaque }, &quoted[end + 1..]))
}

/// After a tag only white space, then a comma or the end, may follow.
fn ends_element(after: &str) -> bool {
    let after = after.trim_start_matches(OWS);
    after.is_empty() || after.starts_with(',')
}

/// `etagc = %x21 / %x23-7E / obs-text`: visible characters but the double quote.
fn is_etagc(b: u8) -> bool {
    b == 0x21 || (0x23..=0x7e).contains(&b) || b >= 0x80
}

#[cfg(test)]
mod tests {
    use super::*;

    fn strong(opaque: &str) -> Tag<'_> {
        Tag {
            weak: false,
            opaque,
        }
    }

    fn weak(opaque: &str) -> Tag<'_> {
        Tag { weak: true, opaque }
    }

    #[test]
    fn star_alone_is_any() {
        assert_eq!(parse("*"), Tags::Any);
        assert_eq!(parse(" *\t"), Tags::Any);
    }

    #[test]
    fn lists_keep_each_tag_exactly() {
        assert_eq!(parse(r#""04""#), Tags::List(vec![strong("04")]));
        assert_eq!(
            parse(r#""3", W/"4" ,"x/y""#),
            Tags::List(vec![strong("3"), weak("4"), strong("x/y")])
        );
        assert_eq!(parse(r#",, "3",,"#), Tags::List(vec![strong("3")]));
    }

    #[test]
    fn malformed_elements_name_nothing() {
        for junk in [
            "3", r#""4 ""#, r#"" 4""#, r#"w/"4""#, r#""4"x"#, r#""4"#, "", "**",
        ] {
            assert_eq!(parse(junk), Tags::List(vec![]), "{junk}");
        }
        assert_eq!(parse(r#"*, "2""#), Tags::List(vec![strong("2")]));
        assert_eq!(parse(r#"4, "5""#), Tags::List(vec![strong("5")]));
    }
}
