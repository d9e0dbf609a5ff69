//! Two jobs at build time, both from `migrations/`:
//!
//! - refinery embeds the directory but does not tell cargo to watch it: without the
//!   `rerun-if-changed` line a new or edited migration would not reach the binary until
//!   something else made this crate recompile;
//! - every reverse `V<n>__<name>.down.sql` becomes an entry of `REVERSES`
//!   (`src/migrate/reverse.rs`), with the losses its header declares in lines
//!   `-- loses: table <t>`, `-- loses: column <t>.<c>` or `-- loses: derived <t>`, so a
//!   reverse and what it destroys are written in one file, next to the drops.

use std::error::Error;
use std::fmt::Write as _;
use std::path::Path;
use std::{env, fs};

fn main() -> Result<(), Box<dyn Error>> {
    println!("cargo:rerun-if-changed=../../migrations");
    let dir = Path::new(&env::var("CARGO_MANIFEST_DIR")?).join("../../migrations");
    let mut reverses = Vec::new();
    for entry in fs::read_dir(&dir)? {
        let path = entry?.path();
        let file = path
            .file_name()
            .and_then(|f| f.to_str())
            .unwrap_or_default();
        let Some((version, name)) = file
            .strip_prefix('V')
            .and_then(|rest| rest.strip_suffix(".down.sql"))
            .and_then(|rest| rest.split_once("__"))
        else {
            continue;
        };
        let version: u32 = version.parse().map_err(|_| format!("{file}: no version"))?;
        let losses = declared_losses(&fs::read_to_string(&path)?, file)?;
        let sql = fs::canonicalize(&path)?;
        reverses.push((version, name.to_owned(), sql, losses));
    }
    reverses.sort();
    let mut code = String::from("&[\n");
    for (version, name, sql, losses) in reverses {
        writeln!(
            code,
            "    Reverse {{ version: {version}, name: {name:?}, sql: include_str!({sql:?}), \
             losses: &[{}] }},",
            losses.join(", ")
        )?;
    }
    code.push(']');
    fs::write(Path::new(&env::var("OUT_DIR")?).join("reverses.rs"), code)?;
    Ok(())
}

/// The `-- loses:` lines of a reverse script, as `Loss` expressions.
fn declared_losses(sql: &str, file: &str) -> Result<Vec<String>, String> {
    let mut losses = Vec::new();
    for line in sql.lines() {
        let Some(declared) = line.trim().strip_prefix("-- loses:") else {
            continue;
        };
        let loss = match declared.split_whitespace().collect::<Vec<_>>()[..] {
            ["table", table] => format!("Loss::Table({table:?})"),
            ["derived", table] => format!("Loss::Derived({table:?})"),
            ["column", qualified] => match qualified.split_once('.') {
                Some((table, column)) => format!("Loss::column({table:?}, {column:?})"),
                None => return Err(format!("{file}: `-- loses: column` needs table.column")),
            },
            _ => return Err(format!("{file}: cannot read `{}`", line.trim())),
        };
        losses.push(loss);
    }
    Ok(losses)
}
