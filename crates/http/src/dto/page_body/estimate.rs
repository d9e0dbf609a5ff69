//! About how long a tenant's JSON is, found without writing it: enough to choose the
//! thread that writes a chunk, never used as a length.

use mtdb_domain::Tenant;
use serde_json::Value;

/// The fields every tenant has besides its name and metadata: two UUIDs, two timestamps,
/// the type, the keys and punctuation.
const FIXED: usize = 256;

/// A tenant's JSON length, give or take escapes and number formatting.
pub(super) fn estimated_len(tenant: &Tenant) -> usize {
    let metadata: usize = tenant
        .metadata
        .as_map()
        .iter()
        .map(|(key, value)| key.len() + 4 + value_len(value))
        .sum();
    FIXED + tenant.name.as_str().len() + metadata
}

/// A JSON value's length: strings and keys in full, scalars as a few bytes.
fn value_len(value: &Value) -> usize {
    match value {
        Value::String(text) => text.len() + 2,
        Value::Array(items) => 2 + items.iter().map(|v| 1 + value_len(v)).sum::<usize>(),
        Value::Object(map) => {
            2 + map
                .iter()
                .map(|(key, v)| key.len() + 4 + value_len(v))
                .sum::<usize>()
        }
        Value::Null | Value::Bool(_) | Value::Number(_) => 8,
    }
}

/// Metadata the size of the noisy-neighbour bench's: 900 fields of 56 characters.
#[cfg(test)]
pub(super) fn flood_sized_metadata() -> Value {
    let fields = (0..900).map(|n| (format!("field_{n:04}"), Value::String("x".repeat(56))));
    Value::Object(fields.collect())
}

#[cfg(test)]
mod tests {
    use mtdb_domain::{fixture, Metadata, Placement, TenantId};
    use serde_json::json;

    use super::*;
    use crate::dto::tenant::TenantResponse;

    fn with_metadata(metadata: Value) -> Tenant {
        let id: TenantId = "00000000-0000-4000-8000-000000000011".parse().unwrap();
        Tenant {
            metadata: Metadata::parse(Some(metadata)).unwrap(),
            ..fixture::tenant(id, Placement::TopLevel)
        }
    }

    /// Within a quarter of the real length, for an ordinary tenant and for one whose
    /// metadata is large (what decides the thread), nested or flat.
    #[test]
    fn close_to_the_written_length() {
        for metadata in [
            json!({}),
            json!({"region": "APAC", "tier": 1, "tags": ["a", "b"], "kyc": {"done": true}}),
            flood_sized_metadata(),
            json!({"text": "y".repeat(60_000), "deep": [[{"a": [1, 2, null]}]]}),
        ] {
            let tenant = with_metadata(metadata);
            let written = serde_json::to_vec(&TenantResponse::from(tenant.clone()))
                .unwrap()
                .len();
            let estimated = estimated_len(&tenant);
            assert!(
                estimated * 4 >= written * 3 && estimated * 4 <= written * 5,
                "estimated {estimated}, written {written}"
            );
        }
    }
}
