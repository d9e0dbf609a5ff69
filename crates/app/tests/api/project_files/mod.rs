//! The project's own files kept honest: checks that need no database (they run in the
//! pre-commit hook too, .githooks/pre-commit).

mod compose;
mod cycles;
mod file_size;
mod module_cycles;
mod module_graph;
mod recipes;
mod request_path;
mod rust_version;

use std::path::PathBuf;

/// The workspace root (this crate is crates/app).
pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..")
}

pub fn read(relative: &str) -> String {
    std::fs::read_to_string(root().join(relative)).expect("read a repository file")
}
