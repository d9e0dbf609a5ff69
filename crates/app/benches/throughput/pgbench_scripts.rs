//! The pgbench scripts, written for each run from the adapter's own statements
//! (`mtdb_postgres::introspect::statements`), so that pgbench runs what the API runs and the
//! ceiling is the ceiling of the same work. Where pgbench cannot send what the
//! application sends, a fixed stand-in takes the parameter's place: an id computed from an
//! integer (pgbench's `\set` makes only numbers; `00000000-0000-0000-0000-` and 12 hex
//! digits, as the load and the wrk scripts do), and the literal `null` for the absent type
//! filter (pgbench variables cannot be NULL; the planner may drop it, so the ceiling is, if
//! anything, optimistic). A parameter without a stand-in is `null`: a nullable field of a
//! tenant that the bench does not set. A parameter without a stand-in is `null`: a nullable field of a
//! tenant that the bench does not set.

use std::path::Path;

use mtdb_postgres::introspect::statements as sql;

const PARENT_TEXT: &str = "'00000000-0000-0000-0000-' || lpad(to_hex(:parent::bigint), 12, '0')";
const PARENT_UUID: &str =
    "('00000000-0000-0000-0000-' || lpad(to_hex(:parent::bigint), 12, '0'))::uuid";
const ID_UUID: &str = "('00000000-0000-0000-0000-' || lpad(to_hex(:id::bigint), 12, '0'))::uuid";
const COMMIT: &str = "commit";

const PICK_PARENT: [&str; 2] = [
    "\\set i random(0, :parents - 1)",
    "\\set parent (1 + :i * :groups / :parents) * 16",
];

/// Writes `<name>.sql` and `<name>_pipelined.sql` into `dir` for get, list and create_delete.
pub fn write(dir: &Path) -> std::io::Result<()> {
    for (name, plain, pipelined) in [
        ("get", get(false), get(true)),
        ("list", list(false), list(true)),
        ("create_delete", create_delete(false), create_delete(true)),
    ] {
        std::fs::write(dir.join(format!("{name}.sql")), plain.join("\n") + "\n")?;
        std::fs::write(
            dir.join(format!("{name}_pipelined.sql")),
            pipelined.join("\n") + "\n",
        )?;
    }
    Ok(())
}

/// GET /api/v1/tenants/{id}: a parent reads one of its subsidiaries.
fn get(pipelined: bool) -> Vec<String> {
    let mut lines = lines(&PICK_PARENT);
    lines.push("\\set id :parent + random(1, 9)".into());
    let find = bind(sql::FIND_AS_TENANT, &[ID_UUID]);
    lines.extend(pipeline(
        pipelined,
        transaction(sql::BEGIN_READ_ONLY, &[find]),
    ));
    lines
}

/// GET /api/v1/tenants?limit=100: a parent with 150 subsidiaries lists them (count, page).
fn list(pipelined: bool) -> Vec<String> {
    let mut lines = lines(&[
        "\\set p random(0, :large - 1)",
        "\\set parent 4294967296 + :p * 4096",
        "\\set limit 100",
        "\\set offset 0",
    ]);
    let count = bind(sql::COUNT, &["null"]);
    let page = bind(sql::PAGE, &["null", ":limit", ":offset"]);
    let statements = transaction(sql::BEGIN_READ_ONLY, &[count, page]);
    lines.extend(pipeline(pipelined, statements));
    lines
}

/// POST /api/v1/tenants (a parent creates a subsidiary), then DELETE it: two transactions,
/// counted as two requests. `\gset` keeps the new id, and cannot be used inside a
/// pipeline, so pipelined the insert is a round trip of its own (three for the two).
fn create_delete(pipelined: bool) -> Vec<String> {
    let mut lines = lines(&PICK_PARENT);
    lines.push("\\set name random(1, 1000000000000)".into());
    let insert = bind(
        sql::INSERT,
        &[":name", PARENT_UUID, ":subsidiary", ":metadata"],
    );
    let mut create = transaction(
        sql::BEGIN_READ_WRITE,
        &[bind(sql::LOCK_FOR_SHARE, &[PARENT_UUID])],
    );
    let commit = create.pop().unwrap_or_default();
    let delete = transaction(
        sql::BEGIN_READ_WRITE,
        &[
            bind(sql::LOCK_FOR_UPDATE, &[":tenant_id"]),
            bind(sql::COUNT_LIVE_SUBSIDIARIES, &[":tenant_id"]),
            bind(sql::SOFT_DELETE, &[":tenant_id"]),
        ],
    );
    let inserted = format!("{insert} \\gset");
    if pipelined {
        lines.extend(pipeline(true, create));
        lines.push(inserted);
        lines.extend(pipeline(true, [vec![commit], delete].concat()));
    } else {
        lines.extend(create);
        lines.extend([inserted, commit]);
        lines.extend(delete);
    }
    lines
}

fn lines(text: &[&str]) -> Vec<String> {
    text.iter().map(|line| (*line).to_owned()).collect()
}

/// One transaction as the API runs it: begin, the principal's context, `statements`, commit.
fn transaction(begin: &str, statements: &[String]) -> Vec<String> {
    let context = bind(sql::CONTEXT, &["'mtdb_tenant'", PARENT_TEXT, ":sub"]);
    let mut lines = vec![format!("{begin};"), format!("{context};")];
    lines.extend(statements.iter().map(|s| format!("{s};")));
    lines.push(format!("{COMMIT};"));
    lines
}

/// `lines` sent as one pipeline (one round trip), or as they are.
fn pipeline(pipelined: bool, lines: Vec<String>) -> Vec<String> {
    if !pipelined {
        return lines;
    }
    [
        vec!["\\startpipeline".into()],
        lines,
        vec!["\\endpipeline".into()],
    ]
    .concat()
}

/// `$n` replaced by `values[n - 1]` (pgbench's `:variables` and stand-ins), else `null`.
fn bind(sql: &str, values: &[&str]) -> String {
    let mut out = String::new();
    let mut chars = sql.chars().peekable();
    while let Some(c) = chars.next() {
        let mut digits = String::new();
        while c == '$' && chars.peek().is_some_and(char::is_ascii_digit) {
            digits.extend(chars.next());
        }
        if digits.is_empty() {
            out.push(c);
        } else {
            let n = digits.parse::<usize>().unwrap_or(0);
            let value = n.checked_sub(1).and_then(|i| values.get(i));
            out.push_str(value.copied().unwrap_or("null"));
        }
    }
    out
}
