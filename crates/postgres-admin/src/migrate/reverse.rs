//! The reverse of each migration, embedded next to refinery's own embed.
//!
//! A new migration `V<n>__<name>.sql` needs its `V<n>__<name>.down.sql`, whose header
//! declares the tables and columns whose rows the reverse drops (`-- loses: table <t>`,
//! `-- loses: column <t>.<c>`, `-- loses: derived <t>`; see `losses.rs`). `build.rs` turns
//! the directory into `REVERSES`; the tests fail until every up migration has its reverse
//! and every drop is declared.

use super::losses::Loss;

pub(super) struct Reverse {
    pub(super) version: u32,
    pub(super) name: &'static str,
    pub(super) sql: &'static str,
    /// What reverting deletes, counted before the revert (`--allow-data-loss`).
    pub(super) losses: &'static [Loss],
}

/// Every `migrations/V<n>__<name>.down.sql`, oldest first, as `build.rs` read it.
pub(super) const REVERSES: &[Reverse] = include!(concat!(env!("OUT_DIR"), "/reverses.rs"));

pub(super) fn find(version: u32) -> Option<&'static Reverse> {
    REVERSES.iter().find(|r| r.version == version)
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;

    use super::*;

    fn declared(reverse: &Reverse) -> BTreeSet<String> {
        reverse
            .losses
            .iter()
            .map(|loss| match loss {
                Loss::Table(t) | Loss::Derived(t) => format!("table {t}"),
                Loss::Column { table, column } => format!("column {table}.{column}"),
            })
            .collect()
    }

    #[test]
    fn every_reverse_declares_exactly_the_tables_and_columns_it_drops() {
        for reverse in REVERSES {
            assert_eq!(
                super::super::losses::tests::dropped(reverse.sql),
                declared(reverse),
                "V{} ({}): declare its losses in its .down.sql (`-- loses: ...`)",
                reverse.version,
                reverse.name
            );
        }
    }

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
