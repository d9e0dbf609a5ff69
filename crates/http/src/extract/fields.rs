//! A JSON object taken apart field by field, so that every failure names its field:
//! unknown keys by their own name, missing and mistyped ones by theirs. (Deserializing
//! the whole DTO at once would report "invalid type" without saying where.)

use serde::de::DeserializeOwned;
use serde_json::{Map, Value};

use crate::error::ApiError;

/// The top-level object of a request body.
pub(crate) struct JsonObject(Map<String, Value>);

impl JsonObject {
    pub(crate) fn new(value: Value) -> Result<Self, ApiError> {
        match value {
            Value::Object(map) => Ok(Self(map)),
            _ => Err(ApiError::validation("body", "must be a JSON object")),
        }
    }

    /// Refuses the first key (in sorted order, so answers are stable) outside `known`.
    pub(crate) fn deny_unknown(&self, known: &[&str]) -> Result<(), ApiError> {
        match self.0.keys().find(|key| !known.contains(&key.as_str())) {
            Some(unknown) => Err(ApiError::validation(
                unknown.clone(),
                "is not a field of this request",
            )),
            None => Ok(()),
        }
    }

    /// A field that must be present and not null.
    pub(crate) fn required<T: DeserializeOwned>(
        &mut self,
        field: &'static str,
    ) -> Result<T, ApiError> {
        match self.0.remove(field) {
            None | Some(Value::Null) => Err(ApiError::validation(field, "is required")),
            Some(value) => typed(field, value),
        }
    }

    /// A field that may be absent or null.
    pub(crate) fn optional<T: DeserializeOwned>(
        &mut self,
        field: &'static str,
    ) -> Result<Option<T>, ApiError> {
        match self.0.remove(field) {
            None | Some(Value::Null) => Ok(None),
            Some(value) => typed(field, value).map(Some),
        }
    }

    /// A field taken as raw JSON, for the domain to judge (`null` included).
    pub(crate) fn raw(&mut self, field: &'static str) -> Option<Value> {
        self.0.remove(field)
    }
}

fn typed<T: DeserializeOwned>(field: &'static str, value: Value) -> Result<T, ApiError> {
    serde_json::from_value(value).map_err(|err| ApiError::validation(field, err.to_string()))
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn object(value: Value) -> JsonObject {
        JsonObject::new(value).unwrap_or(JsonObject(Map::new()))
    }

    fn field_of(err: ApiError) -> String {
        match err {
            ApiError::Validation { field, .. } => field.into_owned(),
            other => format!("not a validation error: {other}"),
        }
    }

    #[test]
    fn names_the_unknown_the_missing_and_the_mistyped() {
        let known = ["name", "metadata"];
        let err = object(json!({"name": "x", "zeta": 1, "alpha": 2})).deny_unknown(&known);
        assert_eq!(err.map_err(field_of), Err("alpha".to_owned()));

        let err = object(json!({})).required::<String>("name");
        assert_eq!(err.map_err(field_of), Err("name".to_owned()));

        let err = object(json!({"name": 42})).required::<String>("name");
        assert_eq!(err.map_err(field_of), Err("name".to_owned()));
    }

    #[test]
    fn refuses_bodies_that_are_not_objects() {
        for bad in [json!([]), json!("x"), json!(null), json!(1)] {
            assert_eq!(
                JsonObject::new(bad).map(|_| ()).map_err(field_of),
                Err("body".to_owned())
            );
        }
    }
}
