//! UUIDs from clients in one spelling only: the hyphenated 8-4-4-4-12 form, in either
//! case. The `uuid` parser also takes braces, `urn:uuid:` and the undashed form; one
//! id with many spellings is a way around any filter, log search or cache that compares
//! text, so those are refused.

use uuid::Uuid;

use crate::error::ApiError;

const HYPHENS: [usize; 4] = [8, 13, 18, 23];

/// `400 VALIDATION_ERROR` naming `field` unless `raw` is a canonical UUID.
pub(crate) fn canonical_uuid(field: &'static str, raw: &str) -> Result<Uuid, ApiError> {
    let shaped = raw.len() == 36
        && raw.bytes().enumerate().all(|(i, b)| {
            if HYPHENS.contains(&i) {
                b == b'-'
            } else {
                b.is_ascii_hexdigit()
            }
        });
    let invalid = || {
        ApiError::validation(
            field,
            "must be a UUID in the hyphenated form 8-4-4-4-12 (hexadecimal digits)",
        )
    };
    if !shaped {
        return Err(invalid());
    }
    Uuid::parse_str(raw).map_err(|_| invalid())
}

#[cfg(test)]
mod tests {
    use super::*;

    const ID: &str = "00000000-0000-4000-8000-00000000000a";

    #[test]
    fn takes_the_hyphenated_form_in_either_case() {
        let id = canonical_uuid("f", ID).unwrap();
        assert_eq!(canonical_uuid("f", &ID.to_uppercase()).unwrap(), id);
        assert!(canonical_uuid("f", "A1b2C3d4-0000-4000-8000-000000000000").is_ok());
    }

    #[test]
    fn refuses_every_other_spelling_uuid_would_take() {
        let spellings = [
            "{00000000-0000-4000-8000-00000000000a}",
            "urn:uuid:00000000-0000-4000-8000-00000000000a",
            "0000000000004000800000000000000a",
        ];
        for other in spellings {
            // The `uuid` crate reads each as the same id: that is the attack.
            assert_eq!(Uuid::parse_str(other).ok(), Uuid::parse_str(ID).ok());
            assert!(canonical_uuid("f", other).is_err(), "{other}");
        }
        for other in [
            " 00000000-0000-4000-8000-00000000000a",
            "00000000-0000-4000-8000-00000000000a ",
            "00000000_0000-4000-8000-00000000000a",
            "0000000-00000-4000-8000-00000000000a",
            "g0000000-0000-4000-8000-00000000000a",
            "",
        ] {
            assert!(canonical_uuid("f", other).is_err(), "{other}");
        }
    }
}
