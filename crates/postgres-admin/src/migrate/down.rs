//! `mtdb migrate --down-to N`: every check first, then every revert, in one transaction
//! under the migration lock. A revert that would drop a table or column holding rows needs
//! [`DataLoss::Allow`] (`--allow-data-loss`); without it nothing changes.

use std::fmt::Write as _;

use tokio_postgres::{Client, Transaction};

use super::history::{applied_versions, lock, unlock};
use super::losses::Loss;
use super::reverse::{self, Reverse};
use crate::admin::{connect, AdminError};
use mtdb_postgres::AsConnection;

/// Whether a revert may drop rows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DataLoss {
    /// Refuse, changing nothing, when a dropped table or column holds rows.
    Refuse,
    /// Drop them (logged at WARN with what was dropped).
    Allow,
}

/// [`migrate_down`] refusing to lose data.
///
/// # Errors
/// As [`migrate_down`].
pub async fn migrate_down_to(
    admin: &(impl AsConnection + ?Sized),
    target: u32,
) -> Result<Vec<u32>, AdminError> {
    migrate_down(admin, target, DataLoss::Refuse).await
}

/// Reverts every applied migration newer than `target`, newest first, all in one
/// transaction with the removal of their history rows; returns the versions it reverted.
/// `target` 0 reverts them all.
///
/// # Errors
/// A bad URL, an unreachable server, a reverse script that fails; before anything
/// changes, [`AdminError::MissingReverse`] when an applied version has no reverse script
/// and [`AdminError::DataLoss`] when a dropped table or column holds rows and
/// `data_loss` is [`DataLoss::Refuse`]. On any error nothing is reverted.
pub async fn migrate_down(
    admin: &(impl AsConnection + ?Sized),
    target: u32,
    data_loss: DataLoss,
) -> Result<Vec<u32>, AdminError> {
    let mut client = connect(admin, "admin").await?;
    lock(&client).await?;
    let result = revert(&mut client, target, data_loss).await;
    unlock(&client).await;
    result
}

async fn revert(
    client: &mut Client,
    target: u32,
    data_loss: DataLoss,
) -> Result<Vec<u32>, AdminError> {
    let reverses = applied_versions(client)
        .await?
        .into_iter()
        .filter(|version| *version > target)
        .map(|version| reverse::find(version).ok_or(AdminError::MissingReverse(version)))
        .collect::<Result<Vec<&Reverse>, _>>()?;
    let tx = client
        .transaction()
        .await
        .map_err(AdminError::db("starting the reverse migrations"))?;
    let mut counted = Vec::new();
    // Oldest first, the order in which the application's writes take their locks.
    for reverse in reverses.iter().rev() {
        for loss in reverse.losses {
            if let Some(rows) = rows_lost(&tx, *loss).await? {
                counted.push((reverse.version, describe(*loss), rows));
            }
        }
    }
    let populated: Vec<_> = counted.iter().filter(|(_, _, rows)| *rows > 0).collect();
    if data_loss == DataLoss::Refuse && !populated.is_empty() {
        return Err(AdminError::DataLoss {
            target,
            lost: summary(
                populated
                    .iter()
                    .map(|(_, what, rows)| (what.as_str(), *rows)),
            ),
        });
    }
    let mut reverted = Vec::new();
    for reverse in reverses {
        run_reverse(&tx, reverse).await?;
        let lost = summary(
            populated
                .iter()
                .filter(|(version, _, _)| *version == reverse.version)
                .map(|(_, what, rows)| (what.as_str(), *rows)),
        );
        if lost.is_empty() {
            tracing::info!(
                version = reverse.version,
                name = reverse.name,
                "reverting migration"
            );
        } else {
            tracing::warn!(
                version = reverse.version,
                name = reverse.name,
                lost = %lost,
                "reverting migration, dropping data (--allow-data-loss)"
            );
        }
        reverted.push(reverse.version);
    }
    tx.commit()
        .await
        .map_err(AdminError::db("committing the reverse migrations"))?;
    Ok(reverted)
}

async fn run_reverse(tx: &Transaction<'_>, reverse: &Reverse) -> Result<(), AdminError> {
    tx.batch_execute(reverse.sql)
        .await
        .map_err(AdminError::db("a reverse migration script"))?;
    tx.execute(
        "delete from refinery_schema_history where version = $1",
        &[&i32::try_from(reverse.version).unwrap_or(i32::MAX)],
    )
    .await
    .map_err(AdminError::db("removing a migration from the history"))?;
    Ok(())
}

/// The rows `loss` would take (non-null values, for a column); `None` when the table is
/// already gone. The table stays locked until the reverts commit, so no row arrives
/// between the count and the drop. The owner is subject to the table's forced row level
/// security: it is lifted inside a savepoint, only for the count.
async fn rows_lost(tx: &Transaction<'_>, loss: Loss) -> Result<Option<i64>, AdminError> {
    let (table, column) = match loss {
        Loss::Derived(_) => return Ok(None),
        Loss::Table(table) => (table, None),
        Loss::Column { table, column } => (table, Some(column)),
    };
    let count = |e| AdminError::db("counting the rows a revert would drop")(e);
    let regclass: Option<String> = tx
        .query_one("select to_regclass($1)::text", &[&table])
        .await
        .and_then(|row| row.try_get(0))
        .map_err(count)?;
    let Some(regclass) = regclass else {
        return Ok(None);
    };
    // `regclass` is the server's own quoting of the name; `column` is ours (losses.rs).
    let filter = column.map_or(String::new(), |c| format!(" where \"{c}\" is not null"));
    tx.batch_execute(&format!(
        "lock table {regclass} in access exclusive mode; savepoint mtdb_count; \
         alter table {regclass} no force row level security"
    ))
    .await
    .map_err(count)?;
    let rows: i64 = tx
        .query_one(&format!("select count(*) from {regclass}{filter}"), &[])
        .await
        .and_then(|row| row.try_get(0))
        .map_err(count)?;
    tx.batch_execute("rollback to savepoint mtdb_count")
        .await
        .map_err(count)?;
    Ok(Some(rows))
}

fn describe(loss: Loss) -> String {
    match loss {
        Loss::Table(table) | Loss::Derived(table) => table.to_owned(),
        Loss::Column { table, column } => format!("{table}.{column}"),
    }
}

/// `tenants: 5 rows, tenant_audit: 12 rows`.
fn summary<'a>(items: impl Iterator<Item = (&'a str, i64)>) -> String {
    let mut out = String::new();
    for (what, rows) in items {
        if !out.is_empty() {
            out.push_str(", ");
        }
        let _ = write!(
            out,
            "{what}: {rows} row{}",
            if rows == 1 { "" } else { "s" }
        );
    }
    out
}
