//! The request path reads in one sitting: the runtime adapter (`crates/postgres/src`, what
//! a request runs through between the use case and PostgreSQL) holds at most 4,500 lines of
//! code. Its unit tests (`tests.rs` files and a file's closing `#[cfg(test)] mod tests`)
//! are not counted; the operator's tools live in `crates/postgres-admin`, the test support
//! in `crates/testing`.

use std::path::Path;

use super::root;

const MAX_LINES: usize = 4_500;

/// Lines of `source` before its closing `#[cfg(test)]` + `mod tests {` block, if any.
fn code_lines(source: &str) -> usize {
    let lines: Vec<&str> = source.lines().collect();
    lines
        .windows(2)
        .position(|pair| pair[0].trim() == "#[cfg(test)]" && pair[1].starts_with("mod tests {"))
        .unwrap_or(lines.len())
}

fn count(dir: &Path) -> usize {
    let mut total = 0;
    for entry in std::fs::read_dir(dir).expect("a folder").flatten() {
        let path = entry.path();
        if path.is_dir() {
            total += count(&path);
        } else if path.extension().is_some_and(|e| e == "rs") && !path.ends_with("tests.rs") {
            total += code_lines(&std::fs::read_to_string(&path).expect("a source"));
        }
    }
    total
}

#[test]
fn the_runtime_adapter_is_at_most_4500_lines_of_code() {
    let lines = count(&root().join("crates/postgres/src"));
    assert!(
        lines > 1_000,
        "found only {lines} lines: has the adapter moved?"
    );
    assert!(
        lines <= MAX_LINES,
        "crates/postgres/src has {lines} lines of code, more than {MAX_LINES}: \
         what a request does not run belongs in postgres-admin or testing"
    );
}

#[test]
fn a_closing_test_module_is_not_code() {
    let source = "fn a() {}\n\n#[cfg(test)]\nmod tests {\n    #[test]\n    fn t() {}\n}\n";
    assert_eq!(code_lines(source), 2);
    assert_eq!(code_lines("fn a() {}\nfn b() {}\n"), 2);
}
