//! The documentation's links resolve: every relative link of README.md and docs/*.md names
//! a file of the repository and, with a `#fragment`, a heading (or `<a id>`) of that file;
//! every repository path a page names in backticks (`crates/...`, `scripts/...`,
//! `migrations/...`) exists. A renamed heading or a moved file fails here rather than in a
//! reader's browser.

use std::collections::HashSet;
use std::fs;
use std::path::{Path, PathBuf};

pub fn repository() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// The pages: README.md and every docs/*.md (docs/records/ included).
pub fn pages() -> Vec<PathBuf> {
    let root = repository();
    let mut pages = vec![root.join("README.md")];
    for folder in ["docs", "docs/records"] {
        let Ok(entries) = fs::read_dir(root.join(folder)) else {
            continue;
        };
        for entry in entries {
            let path = entry.expect("an entry").path();
            if path.extension().is_some_and(|e| e == "md") {
                pages.push(path);
            }
        }
    }
    pages
}

/// GitHub's anchor of a heading: lowercase, punctuation dropped, spaces to hyphens.
fn slug(heading: &str) -> String {
    heading
        .trim()
        .to_lowercase()
        .chars()
        .filter(|c| c.is_alphanumeric() || *c == ' ' || *c == '-' || *c == '_')
        .map(|c| if c == ' ' { '-' } else { c })
        .collect()
}

/// The text outside fenced code blocks.
pub fn prose(text: &str) -> String {
    let mut inside = false;
    let mut out = String::new();
    for line in text.lines() {
        if line.trim_start().starts_with("```") {
            inside = !inside;
        } else if !inside {
            out.push_str(line);
            out.push('\n');
        }
    }
    out
}

fn anchors(text: &str) -> HashSet<String> {
    let mut found = HashSet::new();
    for line in prose(text).lines() {
        if let Some(heading) = line.strip_prefix('#') {
            found.insert(slug(heading.trim_start_matches('#')));
        }
        let mut rest = line;
        while let Some(start) = rest.find("<a id=\"") {
            rest = &rest[start + 7..];
            let end = rest.find('"').unwrap_or(rest.len());
            found.insert(rest[..end].to_owned());
        }
    }
    found
}

/// The targets of `[text](target)` links.
fn links(text: &str) -> Vec<String> {
    let prose = prose(text);
    let mut found = Vec::new();
    let mut rest = prose.as_str();
    while let Some(start) = rest.find("](") {
        rest = &rest[start + 2..];
        let end = rest.find([')', ' ']).unwrap_or(rest.len());
        found.push(rest[..end].to_owned());
    }
    found
}

#[test]
fn every_relative_link_of_the_docs_resolves() {
    let mut broken = Vec::new();
    for page in pages() {
        let text = fs::read_to_string(&page).expect("a page");
        for link in links(&text) {
            if link.starts_with("http://") || link.starts_with("https://") {
                continue;
            }
            let (path, fragment) = link.split_once('#').unwrap_or((&link, ""));
            let target = if path.is_empty() {
                page.clone()
            } else {
                page.parent().expect("a folder").join(path)
            };
            let ok = match fs::read_to_string(&target) {
                Err(_) => target.is_dir(),
                Ok(_) if fragment.is_empty() => true,
                Ok(body) => anchors(&body).contains(fragment),
            };
            if !ok {
                broken.push(format!("{}: {link}", page.display()));
            }
        }
    }
    assert!(broken.is_empty(), "broken links:\n{}", broken.join("\n"));
}

#[test]
fn the_checker_finds_a_broken_anchor() {
    assert_eq!(
        slug(" 7. `mtdb check`: the self-check"),
        "7-mtdb-check-the-self-check"
    );
    let text = "## A heading\n\nSee [it](#a-heading) and [not](#nothing).\n```\n[code](#x)\n```\n";
    assert_eq!(links(text), ["#a-heading", "#nothing"]);
    assert!(anchors(text).contains("a-heading"));
    assert!(!anchors(text).contains("nothing"));
}

/// The folders of the repository whose files the docs name by path.
const CODE_ROOTS: [&str; 7] = [
    "crates/",
    "scripts/",
    "migrations/",
    "docker/",
    "docs/",
    ".githooks/",
    ".ci/",
];

/// The repository paths named in inline code spans (`` `crates/x/y.rs` ``, also the first
/// word of `` `scripts/pg-local.sh status` ``); templates (`<n>`, `*`, `{...}`) are not paths.
fn code_paths(text: &str) -> Vec<String> {
    let mut found = Vec::new();
    for line in prose(text).lines() {
        for span in line.split('`').skip(1).step_by(2) {
            let Some(word) = span.split_whitespace().next() else {
                continue;
            };
            let word = word.trim_end_matches([',', ';', ':', ')', '.']);
            let templated = word.contains(['<', '*', '{', '$', '…']) || word.contains("...");
            if CODE_ROOTS.iter().any(|r| word.starts_with(r)) && !templated {
                found.push(word.to_owned());
            }
        }
    }
    found
}

#[test]
fn every_repository_path_the_docs_name_exists() {
    let root = repository();
    let mut missing = Vec::new();
    for page in pages() {
        let text = fs::read_to_string(&page).expect("a page");
        for path in code_paths(&text) {
            if !root.join(&path).exists() {
                let page = page.strip_prefix(&root).unwrap_or(&page);
                missing.push(format!("{}: `{path}`", page.display()));
            }
        }
    }
    assert!(
        missing.is_empty(),
        "paths named in the docs that do not exist:\n{}",
        missing.join("\n")
    );
}

#[test]
fn the_checker_reads_paths_from_code_spans_only() {
    let text = "Run `scripts/pg-local.sh status`, see `crates/app/src/main.rs`, \
                not `migrations/V<n>__x.sql` nor `RUST_LOG`.\n```\ncrates/in/a/fence.rs\n```\n";
    assert_eq!(
        code_paths(text),
        ["scripts/pg-local.sh", "crates/app/src/main.rs"]
    );
}
