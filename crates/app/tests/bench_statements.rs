//! `make bench` compares the API with `pgbench` running "the same statements"
//! (docs/performance.md, "Throughput"): the pgbench scripts in scripts/bench/pgbench must
//! be the repository's own statements, or the ceiling is a ceiling of something else.
//! This test reads the repository's constants from its source (the context statements are
//! private to the adapter) and the scripts, and fails when they disagree. Where pgbench
//! cannot send what the application sends, the script has a fixed stand-in, listed here:
//! an id computed from an integer (pgbench's `\set` makes only numbers), and the literal
//! `null` for the absent type filter (pgbench variables cannot be NULL).

use std::path::PathBuf;

use mtdb_testing::statements;

const PARENT_TEXT: &str = "'00000000-0000-0000-0000-' || lpad(to_hex(:parent::bigint), 12, '0')";
const PARENT_UUID: &str =
    "('00000000-0000-0000-0000-' || lpad(to_hex(:parent::bigint), 12, '0'))::uuid";
const ID_UUID: &str = "('00000000-0000-0000-0000-' || lpad(to_hex(:id::bigint), 12, '0'))::uuid";
// What the adapter sends to start its read-only and read-write transactions, and its
// commit (crates/postgres/src/unit_of_work.rs).
const BEGIN_READ: &str = "begin isolation level repeatable read, read only";
const BEGIN_WRITE: &str = "begin isolation level read committed, read write";
const COMMIT: &str = "commit";

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn read(path: &str) -> String {
    std::fs::read_to_string(repo().join(path)).unwrap_or_else(|e| panic!("{path}: {e}"))
}

/// The repository's statements, by name, as the adapter's source defines them.
struct Repository {
    sql: String,
    unit_of_work: String,
    columns: String,
}

impl Repository {
    fn load() -> Self {
        let row = read("crates/postgres/src/row.rs");
        let after = row
            .split_once("macro_rules! tenant_columns")
            .expect("tenant_columns! in row.rs")
            .1;
        let columns = literals(after).into_iter().next().expect("its columns");
        Self {
            sql: read("crates/postgres/src/repository/sql.rs"),
            unit_of_work: read("crates/postgres/src/unit_of_work.rs"),
            columns,
        }
    }

    fn get(&self, name: &str) -> String {
        constant(&self.sql, name, &self.columns)
            .or_else(|| constant(&self.unit_of_work, name, &self.columns))
            .unwrap_or_else(|| panic!("no constant {name} in the adapter's source"))
    }
}

/// The value of `const NAME: &str = ...;`: its string literals and `tenant_columns!()`
/// joined, as `concat!` joins them.
fn constant(source: &str, name: &str, columns: &str) -> Option<String> {
    let start = source.find(&format!("const {name}: &str ="))?;
    let body = &source[start..];
    let mut value = String::new();
    let mut chars = body.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        match c {
            '"' => {
                let (literal, len) = literal(&body[i + 1..]);
                value.push_str(&literal);
                for _ in 0..len {
                    chars.next();
                }
            }
            't' if body[i..].starts_with("tenant_columns!()") => {
                value.push_str(columns);
                for _ in 1.."tenant_columns!()".len() {
                    chars.next();
                }
            }
            ';' => return Some(value),
            _ => {}
        }
    }
    None
}

/// Every string literal in `text`, in order.
fn literals(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = text;
    while let Some(open) = rest.find('"') {
        let (literal, len) = literal(&rest[open + 1..]);
        out.push(literal);
        rest = &rest[open + 1 + len..];
    }
    out
}

/// The literal starting right after its opening quote: its value and how many characters
/// it spans, closing quote included. Handles `\` line continuations and simple escapes.
fn literal(text: &str) -> (String, usize) {
    let mut value = String::new();
    let mut chars = text.chars().enumerate().peekable();
    while let Some((i, c)) = chars.next() {
        match c {
            '"' => return (value, i + 1),
            '\\' => match chars.next() {
                Some((_, '\n')) => {
                    while chars.peek().is_some_and(|(_, c)| c.is_whitespace()) {
                        chars.next();
                    }
                }
                Some((_, 'n')) => value.push('\n'),
                Some((_, escaped)) => value.push(escaped),
                None => break,
            },
            _ => value.push(c),
        }
    }
    (value, text.chars().count())
}

/// `$n` replaced by `values[n - 1]`.
fn bind(sql: &str, values: &[&str]) -> String {
    let mut out = String::new();
    let mut chars = sql.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '$' && chars.peek().is_some_and(char::is_ascii_digit) {
            let mut digits = String::new();
            while let Some(d) = chars.peek().filter(|d| d.is_ascii_digit()) {
                digits.push(*d);
                chars.next();
            }
            let n: usize = digits.parse().expect("a parameter number");
            out.push_str(values.get(n - 1).expect("a value for each parameter"));
        } else {
            out.push(c);
        }
    }
    out
}

fn normalize(sql: &str) -> String {
    sql.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The SQL statements of a pgbench script, in order: comments and meta-commands (`\set`,
/// `\startpipeline`, ...) dropped, `\gset` ending its statement like `;`.
fn script(name: &str) -> Vec<String> {
    let text = read(&format!("scripts/bench/pgbench/{name}.sql"));
    let sql: String = text
        .lines()
        .filter(|line| !line.trim_start().starts_with("--") && !line.trim_start().starts_with('\\'))
        .collect::<Vec<_>>()
        .join("\n")
        .replace("\\gset", ";");
    sql.split(';')
        .map(normalize)
        .filter(|s| !s.is_empty())
        .collect()
}

/// Each script's statements, as the repository writes them with pgbench's stand-ins bound.
fn expected(repo: &Repository) -> Vec<(&'static str, Vec<String>)> {
    let context = bind(
        &repo.get("CONTEXT"),
        &["'mtdb_tenant'", PARENT_TEXT, ":sub"],
    );
    let get = vec![
        BEGIN_READ.to_owned(),
        context.clone(),
        bind(&repo.get("FIND_AS_TENANT"), &[ID_UUID]),
        COMMIT.to_owned(),
    ];
    let list = vec![
        BEGIN_READ.to_owned(),
        context.clone(),
        bind(&repo.get("COUNT"), &["null"]),
        bind(&repo.get("PAGE"), &["null", ":limit", ":offset"]),
        COMMIT.to_owned(),
    ];
    let create_delete = vec![
        BEGIN_WRITE.to_owned(),
        context.clone(),
        bind(&repo.get("LOCK_FOR_SHARE"), &[PARENT_UUID]),
        bind(
            &repo.get("INSERT"),
            &[":name", PARENT_UUID, ":subsidiary", ":metadata"],
        ),
        COMMIT.to_owned(),
        BEGIN_WRITE.to_owned(),
        context,
        bind(&repo.get("LOCK_FOR_UPDATE"), &[":tenant_id"]),
        bind(&repo.get("COUNT_LIVE_SUBSIDIARIES"), &[":tenant_id"]),
        bind(&repo.get("SOFT_DELETE"), &[":tenant_id"]),
        COMMIT.to_owned(),
    ];
    let mut all = Vec::new();
    for (plain, pipelined, statements) in [
        ("get", "get_pipelined", get),
        ("list", "list_pipelined", list),
        ("create_delete", "create_delete_pipelined", create_delete),
    ] {
        let statements: Vec<String> = statements.iter().map(|s| normalize(s)).collect();
        all.push((plain, statements.clone()));
        all.push((pipelined, statements));
    }
    all
}

/// The first difference between a script and what it should say, if any.
fn difference(name: &str, found: &[String], wanted: &[String]) -> Option<String> {
    if found.len() != wanted.len() {
        return Some(format!(
            "{name}.sql has {} statements, the repository {}",
            found.len(),
            wanted.len()
        ));
    }
    found
        .iter()
        .zip(wanted)
        .enumerate()
        .find_map(|(i, (f, w))| {
            (!f.eq_ignore_ascii_case(w)).then(|| {
                format!(
                    "{name}.sql, statement {}:\n  script:     {f}\n  repository: {w}",
                    i + 1
                )
            })
        })
}

#[test]
fn the_pgbench_scripts_run_the_repository_s_statements() {
    let repo = Repository::load();
    let differences: Vec<String> = expected(&repo)
        .iter()
        .filter_map(|(name, wanted)| difference(name, &script(name), wanted))
        .collect();
    assert!(
        differences.is_empty(),
        "scripts/bench/pgbench no longer runs what the adapter runs; update the scripts:\n{}",
        differences.join("\n")
    );
}

#[test]
fn the_source_reader_reads_what_the_compiler_does() {
    let repo = Repository::load();
    for (name, compiled) in [
        ("FIND_AS_TENANT", statements::FIND_AS_TENANT),
        ("FIND_AS_ADMIN", statements::FIND_AS_ADMIN),
        ("PAGE", statements::PAGE),
        ("COUNT", statements::COUNT),
        (
            "COUNT_LIVE_SUBSIDIARIES",
            statements::COUNT_LIVE_SUBSIDIARIES,
        ),
    ] {
        assert_eq!(repo.get(name), compiled, "{name}");
    }
    assert!(repo
        .get("CONTEXT")
        .starts_with("select pg_catalog.set_config('role', $1, true), "));
}

#[test]
fn a_statement_changed_in_the_repository_alone_is_noticed() {
    let repo = Repository::load();
    let (name, mut wanted) = expected(&repo).swap_remove(0);
    // As if the adapter's find had gained a clause the script does not have.
    wanted[2].push_str(" limit 1");
    assert!(difference(name, &script(name), &wanted).is_some());
    // And a statement the script runs in addition.
    let (name, mut wanted) = expected(&repo).swap_remove(0);
    wanted.pop();
    assert!(difference(name, &script(name), &wanted).is_some());
}
