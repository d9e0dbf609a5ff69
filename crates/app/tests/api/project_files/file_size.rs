//! Small files: no Rust source of the workspace is over 300 lines, so that each holds
//! one concept a reader takes in at once.

use std::path::Path;

use super::root;

const MAX_LINES: usize = 300;

fn sources(dir: &Path, found: &mut Vec<(String, usize)>) {
    for entry in std::fs::read_dir(dir).expect("a folder").flatten() {
        let path = entry.path();
        if path.is_dir() {
            sources(&path, found);
        } else if path.extension().is_some_and(|e| e == "rs") {
            let lines = std::fs::read_to_string(&path)
                .expect("a source")
                .lines()
                .count();
            let relative = path.strip_prefix(root()).unwrap_or(&path);
            found.push((relative.display().to_string(), lines));
        }
    }
}

#[test]
fn no_rust_file_is_over_300_lines() {
    let mut files = Vec::new();
    sources(&root().join("crates"), &mut files);
    assert!(files.len() > 100, "found only {} files", files.len());
    let long: Vec<String> = files
        .iter()
        .filter(|(_, lines)| *lines > MAX_LINES)
        .map(|(path, lines)| format!("{path}: {lines} lines"))
        .collect();
    assert!(
        long.is_empty(),
        "over {MAX_LINES} lines:\n{}",
        long.join("\n")
    );
}
