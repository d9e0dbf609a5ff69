//! What a reverse script deletes with the objects it drops: the tables and columns whose
//! rows are lost, declared in each reverse's `-- loses:` lines. `mtdb migrate --down-to`
//! counts their rows before reverting and refuses without `--allow-data-loss`
//! (docs/security.md, "Reverting"). A test in `reverse.rs` reads every `.down.sql`, so a reverse
//! that starts dropping a table cannot go undeclared.

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

impl Loss {
    pub(super) const fn column(table: &'static str, column: &'static str) -> Self {
        Self::Column { table, column }
    }
}

#[cfg(test)]
pub(super) mod tests;
