use serde_json::{Map, Value};

use crate::validation::ValidationError;

/// Largest size of a tenant's metadata, in bytes of compact JSON with every number
/// written out in plain decimal notation, as it is stored and returned.
pub const METADATA_MAX_BYTES: usize = 64 * 1024;

/// Free-form facts about a tenant: always a JSON object, at most 64 KiB serialized, and
/// free of NUL characters (PostgreSQL's `jsonb` cannot store `\u0000`, so accepting one
/// here would turn bad input into a database error).
///
/// The size counts numbers as stored: `jsonb` keeps them as decimals and writes them out
/// in full (`1e308` comes back as 309 digits), so a short body must not be able to store
/// many times the limit. Numbers are IEEE-754 doubles and 64-bit integers, exact within
/// those (RFC 7493 asks for larger ones to be sent as strings).
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
        // Serializing a map of JSON values cannot fail; if it did, the size is "too large".
        let compact = serde_json::to_string(&map).map_or(usize::MAX, |text| text.len());
        let size = map
            .values()
            .fold(compact, |size, v| size.saturating_add(widening(v)));
        if size > METADATA_MAX_BYTES {
            return Err(ValidationError::new(
                "metadata",
                format!(
                    "must be at most {METADATA_MAX_BYTES} bytes serialized, numbers written \
                     out in full as stored, got {size}"
                ),
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

    /// The JSON object.
    pub fn as_map(&self) -> &Map<String, Value> {
        &self.0
    }

    /// The JSON object as a `serde_json::Value`.
    pub fn into_value(self) -> Value {
        Value::Object(self.0)
    }
}

/// How many bytes longer `value` is with its numbers written out in plain decimal.
fn widening(value: &Value) -> usize {
    match value {
        Value::Number(n) => {
            let text = n.to_string();
            plain_decimal_len(&text).saturating_sub(text.len())
        }
        Value::Array(items) => items.iter().map(widening).sum(),
        Value::Object(map) => map.values().map(widening).sum(),
        Value::Null | Value::Bool(_) | Value::String(_) => 0,
    }
}

/// Length of a JSON number (`-1.5e-7`) written without an exponent (`-0.00000015`), as
/// PostgreSQL's `numeric` writes it: an upper bound by at most one leading zero.
fn plain_decimal_len(text: &str) -> usize {
    let (sign, unsigned) = match text.strip_prefix('-') {
        Some(rest) => (1, rest),
        None => (0, text),
    };
    let (mantissa, exponent) = match unsigned.split_once(['e', 'E']) {
        // A serialized double's exponent is at most three digits; no parse can fail.
        Some((mantissa, exponent)) => (mantissa, exponent.parse::<i64>().unwrap_or(0)),
        None => (unsigned, 0),
    };
    let (int, frac) = mantissa.split_once('.').unwrap_or((mantissa, ""));
    let int_digits = (len_i64(int) + exponent).max(1);
    let frac_digits = (len_i64(frac) - exponent).max(0);
    let point_and_fraction = if frac_digits > 0 { 1 + frac_digits } else { 0 };
    usize::try_from(sign + int_digits + point_and_fraction).unwrap_or(usize::MAX)
}

fn len_i64(digits: &str) -> i64 {
    i64::try_from(digits.len()).unwrap_or(i64::MAX)
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
    fn numbers_are_counted_written_out_in_full() {
        for (text, plain) in [
            ("0", "0"),
            ("-12", "-12"),
            ("0.1", "0.1"),
            ("3.0", "3.0"),
            ("1e308", &format!("1{}", "0".repeat(308))),
            ("1e+308", &format!("1{}", "0".repeat(308))),
            ("1.5e-7", "0.00000015"),
            ("-2.5E3", "-2500"),
            ("5e-324", &format!("0.{}5", "0".repeat(323))),
        ] {
            assert_eq!(plain_decimal_len(text), plain.len(), "{text}");
        }
    }

    #[test]
    fn the_size_limit_counts_numbers_as_stored() {
        // 250 × 1e308 is 1.5 KiB as sent but 77 KiB written out; 200 of them is 62 KiB.
        let many = |n: usize| json!({"n": vec![1e308; n]});
        let err = Metadata::parse(Some(many(250))).unwrap_err();
        assert_eq!(err.field, "metadata");
        assert!(Metadata::parse(Some(many(200))).is_ok());
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
