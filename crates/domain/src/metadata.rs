use serde_json::{Map, Value};

use crate::ValidationError;

/// Largest serialized size of a tenant's metadata, in bytes of compact JSON.
pub const METADATA_MAX_BYTES: usize = 64 * 1024;

/// Free-form facts about a tenant: always a JSON object, at most 64 KiB serialized, and
/// free of NUL characters (PostgreSQL's `jsonb` cannot store `\u0000`, so accepting one
/// here would turn bad input into a database error).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Metadata(Map<String, Value>);

impl Metadata {
    /// Absent metadata means `{}`; anything but an object is refused.
    pub fn parse(raw: Option<Value>) -> Result<Self, ValidationError> {
        let map = match raw {
            None => Map::new(),
            Some(Value::Object(map)) => map,
            Some(_) => return Err(ValidationError::new("metadata", "must be a JSON object")),
        };
        let size = Value::Object(map.clone()).to_string().len();
        if size > METADATA_MAX_BYTES {
            return Err(ValidationError::new(
                "metadata",
                format!("must be at most {METADATA_MAX_BYTES} bytes serialized, got {size}"),
            ));
        }
        if map.iter().any(|(k, v)| k.contains('\0') || holds_nul(v)) {
            return Err(ValidationError::new(
                "metadata",
                "must not contain NUL characters",
            ));
        }
        Ok(Self(map))
    }

    /// Rebuilds metadata read back from the store, which only ever holds valid values.
    pub fn from_stored(map: Map<String, Value>) -> Self {
        Self(map)
    }

    pub fn as_map(&self) -> &Map<String, Value> {
        &self.0
    }

    pub fn into_value(self) -> Value {
        Value::Object(self.0)
    }
}

fn holds_nul(value: &Value) -> bool {
    match value {
        Value::String(s) => s.contains('\0'),
        Value::Array(items) => items.iter().any(holds_nul),
        Value::Object(map) => map.iter().any(|(k, v)| k.contains('\0') || holds_nul(v)),
        Value::Null | Value::Bool(_) | Value::Number(_) => false,
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn absent_means_empty_object() {
        assert_eq!(Metadata::parse(None).unwrap(), Metadata::default());
    }

    #[test]
    fn accepts_objects() {
        let value = json!({"country": "Hong Kong", "tiers": [1, 2]});
        let metadata = Metadata::parse(Some(value.clone())).unwrap();
        assert_eq!(metadata.into_value(), value);
    }

    #[test]
    fn rejects_everything_but_an_object() {
        for bad in [json!(null), json!([]), json!("x"), json!(1), json!(true)] {
            let err = Metadata::parse(Some(bad)).unwrap_err();
            assert_eq!(err.field, "metadata");
        }
    }

    #[test]
    fn size_limit_is_inclusive_at_64_kib() {
        // {"k":"…"} is 8 bytes of framing around the string.
        let fits = json!({"k": "x".repeat(METADATA_MAX_BYTES - 8)});
        assert!(Metadata::parse(Some(fits)).is_ok());
        let too_big = json!({"k": "x".repeat(METADATA_MAX_BYTES - 7)});
        assert!(Metadata::parse(Some(too_big)).is_err());
    }

    #[test]
    fn rejects_nul_anywhere() {
        for bad in [
            json!({"a": "x\u{0}"}),
            json!({"a\u{0}": 1}),
            json!({"a": [{"b": ["\u{0}"]}]}),
        ] {
            assert!(Metadata::parse(Some(bad)).is_err());
        }
    }
}
