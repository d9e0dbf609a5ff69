//! JSON text read strictly: an object that names the same member twice is refused, at
//! any depth, where `serde_json::Value` would keep the last one silently (RFC 8259 leaves
//! the meaning of repeated names to each reader; two readers of one body must never
//! disagree on a tenant's name). serde_json has no switch for this, so the tree is built
//! through a visitor that checks each key as it arrives.

use std::cell::RefCell;
use std::fmt;

use serde::de::{self, DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_json::{Map, Value};

use crate::error::ApiError;

/// Parses a request body: `400 VALIDATION_ERROR` for malformed JSON, a lone surrogate
/// (with a message that says so) or a repeated member (naming its path, `a.b`).
pub(crate) fn parse(bytes: &[u8]) -> Result<Value, ApiError> {
    let repeated = RefCell::new(None);
    let mut deserializer = serde_json::Deserializer::from_slice(bytes);
    let parsed = StrictValue {
        path: "",
        repeated: &repeated,
    }
    .deserialize(&mut deserializer)
    .and_then(|value| deserializer.end().map(|()| value));
    match (parsed, repeated.into_inner()) {
        (Ok(value), _) => Ok(value),
        (Err(_), Some(path)) => Err(ApiError::validation(
            path,
            "is given more than once in the JSON body",
        )),
        (Err(_), None) if lone_surrogate(bytes) => Err(ApiError::validation(
            "body",
            "malformed JSON: a \\u escape names a lone UTF-16 surrogate (U+D800 to U+DFFF), \
             which is not a character; write the character itself, or a high and a low \
             surrogate pair",
        )),
        (Err(err), None) => Err(ApiError::validation(
            "body",
            format!("malformed JSON: {err}"),
        )),
    }
}

/// A `Value` whose objects have distinct keys; the first repeat's path lands in
/// `repeated`, so the error names it without parsing a message.
#[derive(Clone, Copy)]
struct StrictValue<'a> {
    path: &'a str,
    repeated: &'a RefCell<Option<String>>,
}

impl<'de> DeserializeSeed<'de> for StrictValue<'_> {
    type Value = Value;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Value, D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for StrictValue<'_> {
    type Value = Value;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a JSON value")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut access: A) -> Result<Value, A::Error> {
        let mut map = Map::new();
        while let Some(key) = access.next_key::<String>()? {
            let path = if self.path.is_empty() {
                key.clone()
            } else {
                format!("{}.{key}", self.path)
            };
            if map.contains_key(&key) {
                *self.repeated.borrow_mut() = Some(path);
                return Err(de::Error::custom("a member is given more than once"));
            }
            let value = access.next_value_seed(StrictValue {
                path: &path,
                repeated: self.repeated,
            })?;
            map.insert(key, value);
        }
        Ok(Value::Object(map))
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut access: A) -> Result<Value, A::Error> {
        let mut items = Vec::new();
        while let Some(item) = access.next_element_seed(self)? {
            items.push(item);
        }
        Ok(Value::Array(items))
    }

    fn visit_bool<E>(self, v: bool) -> Result<Value, E> {
        Ok(Value::Bool(v))
    }

    fn visit_i64<E>(self, v: i64) -> Result<Value, E> {
        Ok(v.into())
    }

    fn visit_u64<E>(self, v: u64) -> Result<Value, E> {
        Ok(v.into())
    }

    fn visit_f64<E>(self, v: f64) -> Result<Value, E> {
        Ok(serde_json::Number::from_f64(v).map_or(Value::Null, Value::Number))
    }

    fn visit_str<E>(self, v: &str) -> Result<Value, E> {
        Ok(Value::String(v.to_owned()))
    }

    fn visit_string<E>(self, v: String) -> Result<Value, E> {
        Ok(Value::String(v))
    }

    fn visit_unit<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }
}

/// Whether the text holds a `\uXXXX` escape of a surrogate that is not the first half of
/// a high-then-low pair (serde_json reports those as "unexpected end of hex escape").
fn lone_surrogate(bytes: &[u8]) -> bool {
    let hex = |at: usize| {
        bytes
            .get(at..at + 4)
            .and_then(|h| std::str::from_utf8(h).ok())
            .and_then(|h| u16::from_str_radix(h, 16).ok())
    };
    let escape = |at: usize| match bytes.get(at..at + 2) {
        Some(b"\\u") => hex(at + 2),
        _ => None,
    };
    let mut at = 0;
    while at < bytes.len() {
        if bytes[at] != b'\\' {
            at += 1;
            continue;
        }
        match escape(at) {
            Some(0xD800..=0xDBFF) => match escape(at + 6) {
                Some(0xDC00..=0xDFFF) => at += 12,
                _ => return true,
            },
            Some(0xDC00..=0xDFFF) => return true,
            Some(_) => at += 6,
            // `\\`, `\"` and the other short escapes: skip the escaped byte.
            None => at += 2,
        }
    }
    false
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn refusal(body: &str) -> (String, String) {
        match parse(body.as_bytes()) {
            Err(ApiError::Validation { field, message }) => (field.into_owned(), message),
            other => panic!("{body}: not refused: {other:?}"),
        }
    }

    #[test]
    fn keeps_every_well_formed_value() {
        let body = r#"{"a": [1, -2, 2.5, "x", true, null, {"b": {}}], "c": "\ud83d\ude00"}"#;
        let expected = json!({"a": [1, -2, 2.5, "x", true, null, {"b": {}}], "c": "😀"});
        assert_eq!(parse(body.as_bytes()).ok(), Some(expected));
    }

    #[test]
    fn names_a_repeated_member_by_its_path() {
        let (field, message) = refusal(r#"{"name":"A","name":"B","tenant_type":"parent"}"#);
        assert_eq!(field, "name");
        assert!(message.contains("more than once"), "{message}");
        let (field, _) = refusal(r#"{"metadata": {"x": {"k": 1, "k": 2}}}"#);
        assert_eq!(field, "metadata.x.k");
        let (field, _) = refusal(r#"{"a": [{"k": 1, "k": 1}]}"#);
        assert_eq!(field, "a.k");
    }

    #[test]
    fn says_when_a_surrogate_stands_alone() {
        for lone in [
            r#"{"n": "\ud800"}"#,
            r#"{"n": "\udc00x"}"#,
            r#"{"n": "\ud800\u0041"}"#,
        ] {
            let (field, message) = refusal(lone);
            assert_eq!(field, "body");
            assert!(
                message.contains("lone UTF-16 surrogate"),
                "{lone}: {message}"
            );
        }
        let (_, message) = refusal(r#"{"n": "\\ud800", "m": "\u12"}"#);
        assert!(!message.contains("surrogate"), "{message}");
    }

    #[test]
    fn trailing_text_is_malformed() {
        let (field, message) = refusal(r#"{"a": 1} x"#);
        assert_eq!(field, "body");
        assert!(message.starts_with("malformed JSON"), "{message}");
    }
}
