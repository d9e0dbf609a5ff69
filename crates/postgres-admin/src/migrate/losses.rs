//! What each reverse script deletes with the objects it drops: the tables and columns
//! whose rows are lost. `mtdb migrate --down-to` counts their rows before reverting and
//! refuses without `--allow-data-loss` (docs/security.md, "Reverting"). The test below
//! reads every `.down.sql`, so a reverse that starts dropping a table cannot go
//! undeclared here.

/// A table or a column dropped by a reverse script, by its unqualified name (the scripts
/// name them so, in the owner's schema).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(super) enum Loss {
    Table(&'static str),
    /// A table whose rows are computed from other tables (applying its migration again
    /// recomputes them): dropped, but nothing is lost, so never counted as a loss.
    Derived(&'static str),
    Column {
        table: &'static str,
        column: &'static str,
    },
}

/// The losses of reverting `version`; none for a version not listed.
pub(super) fn losses(version: u32) -> &'static [Loss] {
    match version {
        1 => &[Loss::Table("tenants")],
        2 => &[Loss::Table("tenant_audit")],
        // The writer stamps: each is in the audit trail too, but the column still holds rows.
        7 => &[
            Loss::Column {
                table: "tenants",
                column: "written_principal",
            },
            Loss::Column {
                table: "tenants",
                column: "written_sub",
            },
        ],
        // Live counts, recomputed from the tenants when V8 is applied again.
        8 => &[Loss::Derived("tenant_counts")],
        _ => &[],
    }
}

#[cfg(test)]
mod tests;
