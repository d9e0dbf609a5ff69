//! The docs stay a reference: everything in docs/ outside docs/records/ reads in one
//! sitting (at most 3,000 lines), performance.md says what costs what in at most 250, and
//! every record in docs/records/ is a dated file (`YYYY-MM-DD-topic.md`) that says when it
//! was written in its name.

use std::fs;
use std::path::Path;

use crate::docs_links::repository;

const REFERENCE_LINES: usize = 3_000;
const PERFORMANCE_LINES: usize = 250;

fn lines(path: &Path) -> usize {
    fs::read_to_string(path)
        .expect("a readable page")
        .lines()
        .count()
}

/// Every file under `folder`, descending into subfolders except docs/records.
fn reference_files(folder: &Path, out: &mut Vec<std::path::PathBuf>) {
    for entry in fs::read_dir(folder).expect("a readable folder") {
        let path = entry.expect("an entry").path();
        if path.is_dir() {
            if !path.ends_with("records") {
                reference_files(&path, out);
            }
        } else {
            out.push(path);
        }
    }
}

#[test]
fn the_reference_docs_fit_their_budget() {
    let mut files = Vec::new();
    reference_files(&repository().join("docs"), &mut files);
    let total: usize = files.iter().map(|path| lines(path)).sum();
    assert!(
        total <= REFERENCE_LINES,
        "docs/ outside docs/records/ has {total} lines, more than {REFERENCE_LINES}: \
         state each fact once, and move history to docs/records/"
    );
    let performance = lines(&repository().join("docs/performance.md"));
    assert!(
        performance <= PERFORMANCE_LINES,
        "docs/performance.md has {performance} lines, more than {PERFORMANCE_LINES}"
    );
}

/// `YYYY-MM-DD-topic.md`: a date, then a topic of lowercase words joined by hyphens.
fn is_dated_record(name: &str) -> bool {
    let Some(stem) = name.strip_suffix(".md") else {
        return false;
    };
    let bytes = stem.as_bytes();
    let digit = |i: usize| bytes.get(i).is_some_and(u8::is_ascii_digit);
    let date = [0, 1, 2, 3, 5, 6, 8, 9].into_iter().all(digit)
        && [4, 7, 10].into_iter().all(|i| bytes.get(i) == Some(&b'-'));
    let topic = &stem[stem.len().min(11)..];
    date && !topic.is_empty()
        && topic
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
}

#[test]
fn every_record_is_dated() {
    let folder = repository().join("docs/records");
    for entry in fs::read_dir(&folder).expect("docs/records exists") {
        let name = entry.expect("an entry").file_name();
        let name = name.to_string_lossy();
        assert!(
            is_dated_record(&name),
            "docs/records/{name} is not YYYY-MM-DD-topic.md"
        );
    }
}

#[test]
fn the_record_name_checker_refuses_undated_names() {
    assert!(is_dated_record("2026-11-27-timing-oracle.md"));
    assert!(!is_dated_record("timing-oracle.md"));
    assert!(!is_dated_record("2026-11-27.md"));
    assert!(!is_dated_record("2026-1-27-oracle.md"));
    assert!(!is_dated_record("2026-11-27-Oracle.md"));
}
