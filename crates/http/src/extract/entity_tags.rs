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

/// Reads a header value: `*` alone, or a list of one or more well-formed tags (empty
/// list elements are allowed, as RFC 9110 section 5.6.1 asks). Anything else, an unquoted
/// or garbled element among them, is `None`: the sender meant a condition that cannot be
/// read, and guessing it would answer a question nobody asked.
pub(crate) fn parse(raw: &str) -> Option<Tags<'_>> {
    if raw.trim_matches(OWS) == "*" {
        return Some(Tags::Any);
    }
    let mut tags = Vec::new();
    let mut rest = raw;
    loop {
        rest = rest.trim_start_matches(|c| OWS.contains(&c) || c == ',');
        if rest.is_empty() {
            return (!tags.is_empty()).then_some(Tags::List(tags));
        }
        let (tag, after) = entity_tag(rest).filter(|(_, after)| ends_element(after))?;
        tags.push(tag);
        rest = after;
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
        assert_eq!(parse("*"), Some(Tags::Any));
        assert_eq!(parse(" *\t"), Some(Tags::Any));
    }

    #[test]
    fn lists_keep_each_tag_exactly() {
        assert_eq!(parse(r#""04""#), Some(Tags::List(vec![strong("04")])));
        assert_eq!(
            parse(r#""3", W/"4" ,"x/y""#),
            Some(Tags::List(vec![strong("3"), weak("4"), strong("x/y")]))
        );
        assert_eq!(parse(r#",, "3",,"#), Some(Tags::List(vec![strong("3")])));
    }

    #[test]
    fn a_malformed_element_spoils_the_whole_value() {
        for junk in [
            "3",
            r#""4 ""#,
            r#"" 4""#,
            r#"w/"4""#,
            r#""4"x"#,
            r#""4"#,
            "",
            "**",
            ",",
            "null",
            r#"*, "2""#,
            r#"4, "5""#,
            r#""5", garbage"#,
        ] {
            assert_eq!(parse(junk), None, "{junk}");
        }
    }
}
