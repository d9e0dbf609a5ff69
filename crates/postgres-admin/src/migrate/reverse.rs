//! The reverse of each migration, embedded next to refinery's own embed.
//!
//! A new migration `V<n>__<name>.sql` needs its `V<n>__<name>.down.sql` and a line
//! here; the tests below fail until both exist and agree. A reverse that drops a table
//! or column also declares it in `losses.rs` (its test reads the scripts).

pub(super) struct Reverse {
    pub(super) version: u32,
    pub(super) name: &'static str,
    pub(super) sql: &'static str,
}

macro_rules! reverse {
    ($version:literal, $name:literal) => {
        Reverse {
            version: $version,
            name: $name,
            sql: include_str!(concat!(
                "../../../../migrations/V",
                $version,
                "__",
                $name,
                ".down.sql"
            )),
        }
    };
}

pub(super) const REVERSES: &[Reverse] = &[
    reverse!(1, "tenants"),
    reverse!(2, "audit"),
    reverse!(3, "roles_and_policies"),
    reverse!(4, "names_and_context"),
    reverse!(5, "no_shadowing"),
    reverse!(6, "find_by_index"),
    reverse!(7, "audited_principal"),
    reverse!(8, "live_counts"),
    reverse!(9, "comments"),
    reverse!(10, "find_functions"),
];

pub(super) fn find(version: u32) -> Option<&'static Reverse> {
    REVERSES.iter().find(|r| r.version == version)
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;

    use super::*;

    fn reverses() -> BTreeSet<(u32, String)> {
        REVERSES
            .iter()
            .map(|r| (r.version, r.name.to_owned()))
            .collect()
    }

    #[test]
    fn every_up_migration_has_a_reverse_with_the_same_version_and_name() {
        let ups: BTreeSet<_> = super::super::embedded_versions().into_iter().collect();
        assert!(!ups.is_empty(), "no migrations embedded");
        assert_eq!(ups, reverses());
    }

    #[test]
    fn every_file_in_the_directory_is_embedded() {
        // refinery's embed is only redone when this crate recompiles: catch a migration
        // added to the directory but missing from the binary, or a stray reverse.
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/../../migrations");
        let mut ups = BTreeSet::new();
        let mut downs = BTreeSet::new();
        for entry in std::fs::read_dir(dir).unwrap() {
            let file = entry.unwrap().file_name().into_string().unwrap();
            let Some(stem) = file.strip_prefix('V') else {
                continue;
            };
            let (version, rest) = stem.split_once("__").unwrap();
            let version: u32 = version.parse().unwrap();
            if let Some(name) = rest.strip_suffix(".down.sql") {
                downs.insert((version, name.to_owned()));
            } else if let Some(name) = rest.strip_suffix(".sql") {
                ups.insert((version, name.to_owned()));
            }
        }
        let embedded: BTreeSet<_> = super::super::embedded_versions().into_iter().collect();
        assert_eq!(ups, embedded, "rebuild: the embedded migrations are stale");
        assert_eq!(downs, reverses());
    }
}
