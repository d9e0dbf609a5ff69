//! The modules of a crate, one per source file, and the imports between them: every
//! `crate::`, `super::` and `self::` path and every path through a child module, in `use`
//! declarations and in code. Comments, string literals and inline `mod tests { .. }`
//! blocks are left out. A module's `mod` declarations are not imports: a parent holding a
//! child is the layering; the child importing from its parent (or from the crate root's
//! re-exports) is an arrow back up, and closes a cycle as soon as the parent imports the
//! child.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

/// Module path (`crate::a::b`) to the modules it imports.
pub type Graph = BTreeMap<String, BTreeSet<String>>;

/// The import graph of the crate whose sources are in `src` (`lib.rs` is the root;
/// `main.rs` beside it is a client of the library, not a module of it).
pub fn graph(src: &Path) -> Graph {
    let mut files = BTreeMap::new();
    collect(src, src, &mut files);
    let modules: BTreeSet<String> = files.keys().cloned().collect();
    files
        .iter()
        .map(|(module, text)| (module.clone(), imports(module, text, &modules)))
        .collect()
}

fn collect(src: &Path, dir: &Path, files: &mut BTreeMap<String, String>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            collect(src, &path, files);
        } else if path.extension().is_some_and(|e| e == "rs") {
            let relative = path.strip_prefix(src).unwrap_or(&path);
            let mut parts: Vec<String> = relative
                .with_extension("")
                .iter()
                .map(|p| p.to_string_lossy().into_owned())
                .collect();
            if parts == ["main"] {
                continue;
            }
            if parts.last().is_some_and(|p| p == "mod" || p == "lib") {
                parts.pop();
            }
            let module = std::iter::once("crate".to_owned())
                .chain(parts)
                .collect::<Vec<_>>()
                .join("::");
            let text = std::fs::read_to_string(&path).unwrap_or_default();
            files.insert(module, code(&text));
        }
    }
}

/// The text without comments, literals and inline test modules.
fn code(text: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    let ident = |c: char| c.is_ascii_alphanumeric() || c == '_';
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    while i < chars.len() {
        let at = |k: usize| chars.get(i + k).copied();
        match chars[i] {
            '/' if at(1) == Some('/') => {
                while i < chars.len() && chars[i] != '\n' {
                    i += 1;
                }
            }
            '/' if at(1) == Some('*') => {
                i += 2;
                while i < chars.len() && !(chars[i - 1] == '*' && chars[i] == '/') {
                    i += 1;
                }
                i += 1;
            }
            'r' if (at(1) == Some('"') || at(1) == Some('#'))
                && (i == 0 || !ident(chars[i - 1])) =>
            {
                let hashes = chars[i + 1..].iter().take_while(|c| **c == '#').count();
                let close: String = std::iter::once('"')
                    .chain(std::iter::repeat_n('#', hashes))
                    .collect();
                let body = i + 2 + hashes;
                let rest: String = chars[body.min(chars.len())..].iter().collect();
                let length = rest
                    .find(&close)
                    .map_or(rest.len(), |n| rest[..n].chars().count());
                i = body + length + close.chars().count();
                out.push_str("\"\"");
            }
            '"' => {
                i += 1;
                while i < chars.len() && chars[i] != '"' {
                    i += if chars[i] == '\\' { 2 } else { 1 };
                }
                i += 1;
                out.push_str("\"\"");
            }
            '\'' if at(2) == Some('\'') || at(1) == Some('\\') => {
                i += 1;
                while i < chars.len() && chars[i] != '\'' {
                    i += if chars[i] == '\\' { 2 } else { 1 };
                }
                i += 1;
            }
            c => {
                out.push(c);
                i += 1;
            }
        }
    }
    match out.find("mod tests {") {
        Some(at) => out[..at].to_owned(),
        None => out,
    }
}

fn imports(module: &str, text: &str, modules: &BTreeSet<String>) -> BTreeSet<String> {
    let mut paths = Vec::new();
    let mut rest = String::new();
    let mut remaining = text;
    while let Some(at) = find_word(remaining, "use") {
        rest.push_str(&remaining[..at]);
        let tail = &remaining[at + 3..];
        let end = tail.find(';').unwrap_or(tail.len());
        expand("", &tail[..end], &mut paths);
        remaining = &tail[(end + 1).min(tail.len())..];
    }
    rest.push_str(remaining);
    paths.extend(inline_paths(&rest));
    paths
        .iter()
        .filter_map(|path| resolve(module, path, modules))
        .filter(|target| target != module)
        .collect()
}

/// Where `word` starts as a whole word in `text`.
fn find_word(text: &str, word: &str) -> Option<usize> {
    let bytes = text.as_bytes();
    let ident = |b: u8| b.is_ascii_alphanumeric() || b == b'_';
    let mut from = 0;
    while let Some(at) = text[from..].find(word).map(|i| i + from) {
        let before = at == 0 || !ident(bytes[at - 1]);
        let after = bytes.get(at + word.len()).is_none_or(|b| !ident(*b));
        if before && after {
            return Some(at);
        }
        from = at + word.len();
    }
    None
}

/// A use tree (`a::{b, c::{d, e}}`) as full paths.
fn expand(prefix: &str, tree: &str, out: &mut Vec<String>) {
    let tree = tree.trim();
    match tree.find('{') {
        Some(open) => {
            let head = format!("{prefix}{}", tree[..open].trim());
            let inner = &tree[open + 1..tree.rfind('}').unwrap_or(tree.len())];
            let mut depth = 0;
            let mut start = 0;
            for (i, c) in inner.char_indices() {
                match c {
                    '{' => depth += 1,
                    '}' => depth -= 1,
                    ',' if depth == 0 => {
                        expand(&head, &inner[start..i], out);
                        start = i + 1;
                    }
                    _ => {}
                }
            }
            expand(&head, &inner[start..], out);
        }
        None if !tree.is_empty() => {
            let path = tree.split(" as ").next().unwrap_or(tree).trim();
            out.push(format!("{prefix}{path}"));
        }
        None => {}
    }
}

/// Every `a::b::c` path in code.
fn inline_paths(text: &str) -> Vec<String> {
    let mut paths = Vec::new();
    let ident = |c: char| c.is_ascii_alphanumeric() || c == '_';
    let chars: Vec<char> = text.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        if ident(chars[i]) && (i == 0 || !(ident(chars[i - 1]) || chars[i - 1] == ':')) {
            let start = i;
            while i < chars.len() && (ident(chars[i]) || chars[i] == ':') {
                i += 1;
            }
            let path: String = chars[start..i].iter().collect();
            if path.contains("::") {
                paths.push(path.trim_end_matches(':').to_owned());
            }
        } else {
            i += 1;
        }
    }
    paths
}

/// The module a path lands in: the longest module prefix of its absolute form.
fn resolve(module: &str, path: &str, modules: &BTreeSet<String>) -> Option<String> {
    let mut segments = path.split("::").map(str::trim).filter(|s| !s.is_empty());
    let first = segments.next()?;
    let mut absolute: Vec<&str> = module.split("::").collect();
    match first {
        "crate" => absolute.truncate(1),
        "self" => {}
        "super" => {
            absolute.pop();
        }
        child if modules.contains(&format!("{module}::{child}")) => absolute.push(child),
        _ => return None,
    }
    for segment in segments {
        if segment == "super" {
            absolute.pop();
        } else {
            absolute.push(segment);
        }
    }
    (1..=absolute.len())
        .rev()
        .map(|n| absolute[..n].join("::"))
        .find(|prefix| modules.contains(prefix))
}
