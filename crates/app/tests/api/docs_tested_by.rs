//! Every rule names the tests that prove it: in every page of docs/ (and at least in
//! docs/rules.md, docs/security.md and docs/security-checklist.md), each row of a table
//! with a "tested by" column names at least one test function in backticks, and every
//! name so given is a function (`fn <name>(`) somewhere under `crates/`. A renamed or
//! deleted test fails here, naming the page and the name.

use std::fs;
use std::path::Path;

use crate::docs_links::{pages, prose, repository};

/// The pages that must have a "tested by" column.
const REQUIRED: [&str; 3] = [
    "docs/rules.md",
    "docs/security.md",
    "docs/security-checklist.md",
];

fn cells(row: &str) -> Vec<&str> {
    let row = row.trim().trim_start_matches('|').trim_end_matches('|');
    row.split('|').map(str::trim).collect()
}

/// For each table row under a header with a "tested by" column: the row's first cell and
/// the backticked words of its "tested by" cell.
fn tested_by(text: &str) -> Vec<(String, Vec<String>)> {
    let mut rows = Vec::new();
    let mut column = None;
    for line in prose(text).lines() {
        if !line.trim_start().starts_with('|') {
            column = None;
            continue;
        }
        let cells = cells(line);
        if let Some(at) = cells
            .iter()
            .position(|c| c.eq_ignore_ascii_case("tested by"))
        {
            column = Some(at);
            continue;
        }
        let Some(at) = column else { continue };
        if cells
            .iter()
            .all(|c| c.chars().all(|ch| ch == '-' || ch == ':'))
        {
            continue;
        }
        let names = cells
            .get(at)
            .map(|cell| {
                cell.split('`')
                    .skip(1)
                    .step_by(2)
                    .map(str::to_owned)
                    .collect()
            })
            .unwrap_or_default();
        rows.push((cells[0].chars().take(60).collect(), names));
    }
    rows
}

fn sources(dir: &Path, found: &mut String) {
    for entry in fs::read_dir(dir).expect("a folder").flatten() {
        let path = entry.path();
        if path.is_dir() {
            sources(&path, found);
        } else if path.extension().is_some_and(|e| e == "rs") {
            found.push_str(&fs::read_to_string(&path).expect("a source file"));
        }
    }
}

fn is_function_name(word: &str) -> bool {
    word.contains('_')
        && word.starts_with(|c: char| c.is_ascii_lowercase())
        && word
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
}

#[test]
fn every_rule_names_tests_that_exist() {
    let root = repository();
    let mut code = String::new();
    sources(&root.join("crates"), &mut code);
    let mut problems = Vec::new();
    for page in pages() {
        let text = fs::read_to_string(&page).expect("a page");
        let page = page
            .strip_prefix(&root)
            .unwrap_or(&page)
            .display()
            .to_string();
        let rows = tested_by(&text);
        if rows.is_empty() && REQUIRED.contains(&page.as_str()) {
            problems.push(format!("{page}: no table with a \"tested by\" column"));
        }
        for (rule, names) in rows {
            if names.is_empty() {
                problems.push(format!("{page}: \"{rule}\" names no test"));
            }
            for name in names {
                if !is_function_name(&name) {
                    problems.push(format!("{page}: `{name}` is not a test function's name"));
                } else if !code.contains(&format!("fn {name}(")) {
                    problems.push(format!("{page}: no `fn {name}(` under crates/"));
                }
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn the_checker_reads_the_tested_by_column() {
    let text = "| rule | tested by |\n|---|---|\n| one | `a_test`, `b_test` |\n| two | |\n\n\
                | other | table |\n|---|---|\n| x | `not_read` |\n";
    let rows = tested_by(text);
    assert_eq!(rows.len(), 2);
    assert_eq!(
        rows[0],
        (
            "one".to_owned(),
            vec!["a_test".to_owned(), "b_test".to_owned()]
        )
    );
    assert!(rows[1].1.is_empty());
    assert!(is_function_name("a_test") && !is_function_name("make bench"));
}
