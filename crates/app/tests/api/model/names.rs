//! The name pool: a few case and Unicode variants, so that duplicates happen often.
//! Each entry states the name sent, the name stored (trimmed, NFC) and the uniqueness key
//! (NFKC + full case folding) by hand, so the model needs no Unicode library and stays exact for the pool.

use super::ops::Switches;
use super::rng::Rng;

#[derive(Clone, Debug)]
pub struct Name {
    pub sent: String,
    /// Refused by validation (`400`) before any rule: `stored` and `key` are unused.
    pub invalid: bool,
    pub stored: String,
    pub key: String,
}

/// (sent, stored, key).
const NAMES: &[(&str, &str, &str)] = &[
    ("Acme", "Acme", "acme"),
    ("ACME", "ACME", "acme"),
    ("  acme ", "acme", "acme"),
    ("Beta Bank", "Beta Bank", "beta bank"),
    ("BETA bank", "BETA bank", "beta bank"),
    ("Cafe", "Cafe", "cafe"),
    ("hsbc", "hsbc", "hsbc"),
    ("HSBC LONDON", "HSBC LONDON", "hsbc london"),
    ("barclays uk", "barclays uk", "barclays uk"),
    // Unicode from here on: equal under NFKC + full case folding, not under lower().
    ("Straße", "Straße", "strasse"),
    ("STRASSE", "STRASSE", "strasse"),
    ("Café", "Café", "café"),
    ("Cafe\u{301}", "Café", "café"),
    ("CAFÉ", "CAFÉ", "café"),
    ("\u{fb01}nance", "\u{fb01}nance", "finance"),
    ("Finance", "Finance", "finance"),
    ("ΟΔΟΣ", "ΟΔΟΣ", "οδοσ"),
    ("οδος", "οδος", "οδοσ"),
];

/// Names without the Unicode cases, for `MTDB_MODEL_UNICODE=0`.
const ASCII_ONLY: usize = 9;

/// Names that are never valid: blank, and characters of categories Cc, Cf and Zl (a
/// control, a zero-width space, a bidi override, a byte-order mark, a line separator).
const INVALID: &[&str] = &[
    "   ",
    "Acme\u{7}",
    "HSBC Hong Kong\u{200b}",
    "\u{202e}Acme",
    "Ac\u{feff}me",
    "Ac\u{2028}me",
];

/// Invalid names without the Unicode cases.
const INVALID_ASCII_ONLY: usize = 2;

pub fn pool_name(rng: &mut Rng, switches: Switches) -> Name {
    if rng.chance(4) {
        let size = if switches.unicode {
            INVALID.len()
        } else {
            INVALID_ASCII_ONLY
        };
        return Name {
            sent: INVALID[rng.below(size)].to_owned(),
            invalid: true,
            stored: String::new(),
            key: String::new(),
        };
    }
    let size = if switches.unicode {
        NAMES.len()
    } else {
        ASCII_ONLY
    };
    let (sent, stored, key) = NAMES[rng.below(size)];
    Name {
        sent: sent.to_owned(),
        invalid: false,
        stored: stored.to_owned(),
        key: key.to_owned(),
    }
}
