use std::collections::BTreeSet;

/// Statements of `sql` in lowercase words, comments and `$$` bodies kept (a `do` block
/// that drops a table must be declared too).
fn statements(sql: &str) -> Vec<Vec<String>> {
    let without_comments: String = sql
        .lines()
        .map(|line| line.split("--").next().unwrap_or(""))
        .collect::<Vec<_>>()
        .join(" ");
    without_comments
        .split(';')
        .map(|statement| {
            statement
                .split(|c: char| c.is_whitespace() || c == ',' || c == '(' || c == ')')
                .filter(|w| !w.is_empty())
                .map(str::to_lowercase)
                .collect()
        })
        .collect()
}

/// What a script drops, as `table t` / `column t.c`, and anything else that deletes rows.
pub(in crate::migrate) fn dropped(sql: &str) -> BTreeSet<String> {
    let mut found = BTreeSet::new();
    for words in statements(sql) {
        let skip_if_exists = |i: usize| {
            if words.get(i).map(String::as_str) == Some("if") {
                i + 2
            } else {
                i
            }
        };
        for (i, word) in words.iter().enumerate() {
            let next = words.get(i + 1).map(String::as_str);
            match (word.as_str(), next) {
                ("drop", Some("table")) => {
                    // `drop table a, b cascade`: every name up to the end or the option.
                    let names = words[skip_if_exists(i + 2)..]
                        .iter()
                        .take_while(|w| !matches!(w.as_str(), "cascade" | "restrict"));
                    for name in names {
                        found.insert(format!("table {name}"));
                    }
                }
                // Not `revoke truncate, delete on ...` nor `before update or delete on`.
                ("delete", Some("from"))
                | ("truncate", Some("table"))
                | ("drop", Some("schema")) => {
                    found.insert(format!("rows: {}", words.join(" ")));
                }
                ("truncate", _) if i == 0 => {
                    found.insert(format!("rows: {}", words.join(" ")));
                }
                _ => {}
            }
        }
        if words.first().map(String::as_str) == Some("alter")
            && words.get(1).map(String::as_str) == Some("table")
        {
            let table = &words[skip_if_exists(2)];
            for (i, word) in words.iter().enumerate() {
                let next = words.get(i + 1).map(String::as_str);
                // `drop <name>` without COLUMN drops a column too.
                let column_at = match (word.as_str(), next) {
                    ("drop", Some("column")) => skip_if_exists(i + 2),
                    ("drop", Some(n)) if !NOT_COLUMNS.contains(&n) => skip_if_exists(i + 1),
                    _ => continue,
                };
                found.insert(format!("column {table}.{}", words[column_at]));
            }
        }
    }
    found
}

/// What may follow `drop` in an `alter table` without naming a column.
const NOT_COLUMNS: &[&str] = &[
    "constraint",
    "default",
    "not",
    "expression",
    "identity",
    "table",
];

#[test]
fn the_parser_finds_drops_in_every_spelling() {
    let sql = "-- drop table commented_out;\n\
               drop table if exists a; DROP TABLE b, b2 cascade;\n\
               alter table c drop column if exists x, drop y, drop constraint k;\n\
               alter table d alter column z drop not null, alter column z drop default;\n\
               revoke truncate, delete on e from r; grant select, delete on e to r;\n\
               create trigger t before update or delete on e for each row execute function f();";
    let expected: BTreeSet<String> = ["table a", "table b", "table b2", "column c.x", "column c.y"]
        .into_iter()
        .map(str::to_owned)
        .collect();
    assert_eq!(dropped(sql), expected);
    for deletes in [
        "truncate e",
        "truncate table e",
        "delete from e",
        "drop schema s cascade",
    ] {
        assert!(
            dropped(deletes).iter().any(|d| d.starts_with("rows: ")),
            "{deletes}"
        );
    }
}
