//! The Makefile holds the recipes, each with its one line of help, `help` first, and
//! `.PHONY` names only targets that exist; the justfile runs each by the same name.

use std::collections::BTreeSet;

use super::read;

fn is_name(s: &str) -> bool {
    !s.is_empty()
        && s.starts_with(|c: char| c.is_ascii_lowercase())
        && s.chars().all(|c| c.is_ascii_lowercase() || c == '-')
}

/// `target: ... ## help` -> (target, has help), in file order.
fn make_targets(makefile: &str) -> Vec<(String, bool)> {
    makefile
        .lines()
        .filter_map(|line| {
            let (name, rest) = line.split_once(':')?;
            (is_name(name) && !rest.starts_with('=')).then(|| {
                let help = rest
                    .split_once("## ")
                    .is_some_and(|(_, h)| !h.trim().is_empty());
                (name.to_owned(), help)
            })
        })
        .collect()
}

fn phony(makefile: &str) -> BTreeSet<String> {
    let joined = makefile.replace("\\\n", " ");
    joined
        .lines()
        .filter_map(|line| line.strip_prefix(".PHONY:"))
        .flat_map(|names| names.split_whitespace().map(str::to_owned))
        .collect()
}

/// `recipe ARGS:` at the start of a line -> (recipe, whether it runs `make recipe`).
fn just_recipes(justfile: &str) -> Vec<(String, bool)> {
    let lines: Vec<&str> = justfile.lines().collect();
    lines
        .iter()
        .enumerate()
        .filter_map(|(i, line)| {
            let (head, _) = line.split_once(':')?;
            let name = head.split_whitespace().next()?;
            let body = lines.get(i + 1).map_or("", |l| l.trim());
            let delegates = body.starts_with(&format!("@make --no-print-directory {name}"));
            (is_name(name) && !line.contains(":=")).then(|| (name.to_owned(), delegates))
        })
        .collect()
}

#[test]
fn makefile_and_justfile_offer_the_same_recipes() {
    let make: BTreeSet<String> = make_targets(&read("Makefile"))
        .into_iter()
        .map(|t| t.0)
        .collect();
    let just: BTreeSet<String> = just_recipes(&read("justfile"))
        .into_iter()
        .map(|t| t.0)
        .collect();
    let only_make: Vec<_> = make.difference(&just).collect();
    let only_just: Vec<_> = just.difference(&make).collect();
    assert!(
        only_make.is_empty() && only_just.is_empty(),
        "only in the Makefile: {only_make:?}; only in the justfile: {only_just:?}"
    );
    for expected in [
        "help",
        "run",
        "dev",
        "test",
        "lint",
        "fmt",
        "db",
        "migrate",
        "migrate-down",
        "schema",
        "seed",
        "reset",
        "coverage",
        "doc",
        "docker-up",
        "docker-down",
        "clean",
        "hooks",
        "audit",
    ] {
        assert!(make.contains(expected), "no `{expected}` recipe");
    }
}

#[test]
fn every_recipe_has_its_line_of_help_and_help_comes_first() {
    let makefile = read("Makefile");
    let targets = make_targets(&makefile);
    for (name, help) in &targets {
        assert!(
            help,
            "Makefile: `{name}` has no `## help` text, so `make help` hides it"
        );
    }
    assert!(
        makefile.contains(".DEFAULT_GOAL := help"),
        "bare `make` must list the targets"
    );
    let recipes = just_recipes(&read("justfile"));
    for (name, delegates) in &recipes {
        assert!(
            delegates,
            "justfile: `{name}` must run `make {name}`, which holds the recipe"
        );
    }
    assert_eq!(
        recipes.first().map(|r| r.0.as_str()),
        Some("help"),
        "bare `just` lists"
    );
}

#[test]
fn phony_names_only_targets_that_exist() {
    let makefile = read("Makefile");
    let targets: BTreeSet<String> = make_targets(&makefile).into_iter().map(|t| t.0).collect();
    let phony = phony(&makefile);
    let ghosts: Vec<_> = phony.difference(&targets).collect();
    let missing: Vec<_> = targets.difference(&phony).collect();
    assert!(
        ghosts.is_empty(),
        ".PHONY names targets that do not exist: {ghosts:?}"
    );
    assert!(
        missing.is_empty(),
        "targets missing from .PHONY: {missing:?}"
    );
}

#[test]
fn the_readme_lists_every_target() {
    let readme = read("README.md");
    let makefile = read("Makefile");
    let unlisted: Vec<String> = make_targets(&makefile)
        .into_iter()
        .map(|t| t.0)
        .filter(|name| !readme.contains(&format!("`make {name}")))
        .collect();
    assert!(
        unlisted.is_empty(),
        "README \"Commands\" lacks: {unlisted:?}"
    );
}
