//! Cycles in an import graph: strongly connected components (Tarjan), between modules
//! and between sibling subtrees.

use std::collections::{BTreeMap, BTreeSet};

use super::module_graph::Graph;

/// The cycles: each strongly connected component of more than one module (Tarjan).
pub fn cycles(graph: &Graph) -> Vec<Vec<String>> {
    struct State<'g> {
        graph: &'g Graph,
        index: BTreeMap<&'g str, usize>,
        low: BTreeMap<&'g str, usize>,
        stack: Vec<&'g str>,
        on_stack: BTreeSet<&'g str>,
        found: Vec<Vec<String>>,
    }
    fn visit<'g>(s: &mut State<'g>, v: &'g str) {
        let n = s.index.len();
        s.index.insert(v, n);
        s.low.insert(v, n);
        s.stack.push(v);
        s.on_stack.insert(v);
        for w in s.graph.get(v).into_iter().flatten() {
            let w = w.as_str();
            if !s.index.contains_key(w) {
                visit(s, w);
                let low = s.low[v].min(s.low[w]);
                s.low.insert(v, low);
            } else if s.on_stack.contains(w) {
                let low = s.low[v].min(s.index[w]);
                s.low.insert(v, low);
            }
        }
        if s.low[v] == s.index[v] {
            let mut component = Vec::new();
            while let Some(w) = s.stack.pop() {
                s.on_stack.remove(w);
                component.push(w.to_owned());
                if w == v {
                    break;
                }
            }
            if component.len() > 1 {
                component.sort();
                s.found.push(component);
            }
        }
    }
    let mut state = State {
        graph,
        index: BTreeMap::new(),
        low: BTreeMap::new(),
        stack: Vec::new(),
        on_stack: BTreeSet::new(),
        found: Vec::new(),
    };
    for v in graph.keys() {
        if !state.index.contains_key(v.as_str()) {
            visit(&mut state, v);
        }
    }
    state.found
}

/// The imports inside cycles: each runs against the layering one way or the other.
pub fn imports_in_cycles(graph: &Graph, cycles: &[Vec<String>]) -> usize {
    cycles
        .iter()
        .map(|component| {
            component
                .iter()
                .map(|v| graph[v].iter().filter(|w| component.contains(w)).count())
                .sum::<usize>()
        })
        .sum()
}

/// The cycles between sibling modules, each taken with everything under it: for every
/// module, its children with an arrow from one to another when anything in the first's
/// subtree imports anything in the second's. A cycle here is two parts of one layer
/// leaning on each other (`error` and `auth`), even when no two files do.
pub fn sibling_cycles(graph: &Graph) -> Vec<(String, Vec<String>)> {
    let mut layers: BTreeMap<String, Graph> = BTreeMap::new();
    for (from, targets) in graph {
        for to in targets {
            let (a, b): (Vec<&str>, Vec<&str>) =
                (from.split("::").collect(), to.split("::").collect());
            let shared = a.iter().zip(&b).take_while(|(x, y)| x == y).count();
            if shared < a.len() && shared < b.len() {
                let parent = a[..shared].join("::");
                let layer = layers.entry(parent.clone()).or_default();
                layer
                    .entry(format!("{parent}::{}", a[shared]))
                    .or_default()
                    .insert(format!("{parent}::{}", b[shared]));
            }
        }
    }
    layers
        .into_iter()
        .flat_map(|(parent, layer)| {
            cycles(&layer)
                .into_iter()
                .map(move |cycle| (parent.clone(), cycle))
        })
        .collect()
}
