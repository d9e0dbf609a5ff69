//! No import runs back up a crate's layering: in every crate of the workspace, no cycle
//! between its modules (a module importing its parent or the crate root's re-exports
//! while they import it), and none between sibling modules taken with their subtrees.
//! A reader can then read each crate bottom-up, each module after those it uses.

use super::cycles::{cycles, imports_in_cycles, sibling_cycles};
use super::module_graph::graph;
use super::root;

const CRATES: [&str; 7] = [
    "domain",
    "ports",
    "postgres",
    "postgres-admin",
    "http",
    "app",
    "testing",
];

#[test]
fn no_crate_has_a_cycle_between_its_modules() {
    let mut found = Vec::new();
    for name in CRATES {
        let graph = graph(&root().join("crates").join(name).join("src"));
        assert!(graph.len() > 1, "crates/{name}/src: no modules found");
        let circles = cycles(&graph);
        let imports = imports_in_cycles(&graph, &circles);
        for cycle in circles {
            found.push(format!(
                "crates/{name} ({imports} imports in cycles): {}",
                cycle.join(" <-> ")
            ));
        }
        for (parent, cycle) in sibling_cycles(&graph) {
            found.push(format!(
                "crates/{name}, under {parent}: {}",
                cycle.join(" <-> ")
            ));
        }
    }
    assert!(
        found.is_empty(),
        "imports that run in a circle:\n{}",
        found.join("\n")
    );
}

#[test]
fn a_module_importing_its_parent_is_a_cycle() {
    let dir = std::env::temp_dir().join(format!("mtdb-module-graph-{}", std::process::id()));
    let write = |path: &str, text: &str| {
        let path = dir.join(path);
        std::fs::create_dir_all(path.parent().expect("a parent")).expect("a folder");
        std::fs::write(path, text).expect("a file");
    };
    write("lib.rs", "mod a;\nmod b;\npub use a::A;\n");
    write(
        "a/mod.rs",
        "mod inner;\npub use inner::A;\npub struct Top;\n",
    );
    // Back up through the parent, and through the crate root's re-export.
    write(
        "a/inner.rs",
        "use super::Top;\nuse crate::A as Again;\npub struct A(Top);\n",
    );
    write(
        "b.rs",
        "use crate::{A, B2};\n// use crate::c::Ignored;\nconst S: &str = \"crate::a::A\";\n",
    );
    let graph = graph(&dir);
    let found = cycles(&graph);
    std::fs::remove_dir_all(&dir).expect("removing the fixture");
    assert_eq!(
        found,
        vec![vec![
            "crate".to_owned(),
            "crate::a".to_owned(),
            "crate::a::inner".to_owned()
        ]],
        "{graph:?}"
    );
    assert_eq!(
        graph["crate::b"].iter().collect::<Vec<_>>(),
        ["crate"],
        "comments and strings are not imports"
    );
}

#[test]
fn siblings_leaning_on_each_other_through_their_children_are_a_cycle() {
    let dir = std::env::temp_dir().join(format!("mtdb-sibling-graph-{}", std::process::id()));
    let write = |path: &str, text: &str| {
        let path = dir.join(path);
        std::fs::create_dir_all(path.parent().expect("a parent")).expect("a folder");
        std::fs::write(path, text).expect("a file");
    };
    write("lib.rs", "mod auth;\nmod error;\n");
    write("auth/mod.rs", "mod extractor;\n");
    write("auth/extractor.rs", "use crate::error::ApiError;\n");
    write("error/mod.rs", "mod kinds;\npub struct ApiError;\n");
    write("error/kinds.rs", "use crate::auth::extractor::X;\n");
    let graph = graph(&dir);
    std::fs::remove_dir_all(&dir).expect("removing the fixture");
    assert!(cycles(&graph).is_empty(), "no file imports itself back");
    assert_eq!(
        sibling_cycles(&graph),
        vec![(
            "crate".to_owned(),
            vec!["crate::auth".to_owned(), "crate::error".to_owned()]
        )]
    );
}
