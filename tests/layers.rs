//! The layer order inside the engine crate, checked on its source. Between crates Cargo keeps
//! the order (a lower crate cannot name a higher one, and the front ends do not depend on each
//! other); inside `heaptui-engine` the pipeline is private modules, so each may name (as
//! `crate::module`) only the modules below it. A change that makes the graph know the
//! analysis, or the parser the snapshot API, fails here. Inside `heaptui-tui` the files may
//! name each other in any order but round: its module graph has no cycle.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// Each engine module and what it may use, lowest first.
const LAYERS: &[(&str, &[&str])] = &[
    ("graph", &[]),
    ("parse", &["graph"]),
    ("analysis", &["graph"]),
    ("index", &["analysis", "graph", "parse"]),
    ("snapshot", &["analysis", "graph", "index", "parse"]),
];

fn sources(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            sources(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// The modules a file names as `crate::name`, comments included (a doc link is a use too).
fn named_modules(text: &str) -> Vec<String> {
    let mut found = Vec::new();
    let mut rest = text;
    while let Some(at) = rest.find("crate::") {
        let after = &rest[at + "crate::".len()..];
        let name: String = after
            .chars()
            .take_while(|c| c.is_ascii_lowercase() || *c == '_')
            .collect();
        if !name.is_empty() {
            found.push(name);
        }
        rest = after;
    }
    found
}

#[test]
fn every_engine_module_uses_only_the_layers_below_it() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("crates/engine/src");
    let layers: BTreeMap<&str, &[&str]> = LAYERS.iter().copied().collect();
    let mut files = Vec::new();
    sources(&src, &mut files);
    let mut wrong = Vec::new();
    for file in &files {
        let relative = file.strip_prefix(&src).unwrap();
        let top = relative
            .components()
            .next()
            .unwrap()
            .as_os_str()
            .to_string_lossy();
        let top = top.trim_end_matches(".rs");
        if top == "lib" {
            continue;
        }
        let allowed = layers
            .get(top)
            .unwrap_or_else(|| panic!("engine/src/{top}: a module without a place in LAYERS"));
        let text = std::fs::read_to_string(file).unwrap();
        for name in named_modules(&text) {
            if name != top && !allowed.contains(&name.as_str()) {
                wrong.push(format!(
                    "engine/src/{}: uses crate::{name}",
                    relative.display()
                ));
            }
        }
    }
    wrong.sort();
    wrong.dedup();
    assert!(
        wrong.is_empty(),
        "imports against the layer order:\n{}",
        wrong.join("\n")
    );
}

#[test]
fn the_check_sees_a_violation() {
    // A graph file naming the analysis must be caught, and a sibling module must not be.
    let names = named_modules("use crate::analysis::bits;\nuse crate::util::js; // crate::tui");
    assert_eq!(names, ["analysis", "util", "tui"]);
}

/// The tui crate's module of a file under `src`: `app/views.rs` is `app::views`, `ui/mod.rs`
/// is `ui`, `lib.rs` the crate root (`""`).
fn module_of(relative: &Path) -> String {
    let mut parts: Vec<String> = relative
        .with_extension("")
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect();
    if matches!(parts.last().map(String::as_str), Some("mod" | "lib")) {
        parts.pop();
    }
    parts.join("::")
}

/// The code of a file without comments and without its unit tests (a trailing
/// `#[cfg(test)]` module, whose `super::*` names the file itself).
fn code_of(text: &str) -> String {
    let text = text.split("#[cfg(test)]").next().unwrap_or("");
    text.lines()
        .map(|line| line.split("//").next().unwrap_or(""))
        .collect::<Vec<_>>()
        .join("\n")
}

/// A `use` tree's paths, groups expanded: `a::{b, c::{d, self}}` is `a::b`, `a::c::d`, `a::c`.
fn expand_use(tree: &str) -> Vec<String> {
    let Some(open) = tree.find('{') else {
        return vec![tree.trim_end_matches("::self").to_string()];
    };
    let (prefix, mut depth, mut start, mut out) = (&tree[..open], 0, open + 1, Vec::new());
    for (i, c) in tree.char_indices().skip(open) {
        match c {
            '{' => depth += 1,
            '}' | ',' if depth == 1 => {
                let part = &tree[start..i];
                if !part.is_empty() {
                    out.extend(expand_use(part).into_iter().map(|p| format!("{prefix}{p}")));
                }
                start = i + 1;
                if c == '}' {
                    depth -= 1;
                }
            }
            '}' => depth -= 1,
            _ => {}
        }
    }
    out
}

/// The paths a file's code names: its `use` trees expanded, and the `a::b::c` paths in its
/// code.
fn paths_in(code: &str) -> Vec<String> {
    let mut paths = Vec::new();
    let mut rest = code;
    while let Some(at) = rest.find("use ") {
        let starts_statement = rest[..at]
            .chars()
            .last()
            .is_none_or(|c| c.is_whitespace() || c == '}' || c == ';');
        let end = rest[at..].find(';').map_or(rest.len(), |e| at + e);
        if starts_statement {
            let tree: String = rest[at + 4..end]
                .split_whitespace()
                .collect::<Vec<_>>()
                .join(" ")
                .replace(" as ", "\u{0}")
                .split('\u{0}')
                .next()
                .unwrap_or("")
                .replace(' ', "");
            paths.extend(expand_use(&tree));
            rest = &rest[end..];
        } else {
            rest = &rest[at + 4..];
        }
    }
    // Inline paths: identifier chains joined by `::` (a chain ending before `{` is a use
    // group, expanded above).
    let chars: Vec<char> = code.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        let boundary = i == 0 || !(chars[i - 1].is_alphanumeric() || chars[i - 1] == '_');
        if boundary && (chars[i].is_alphabetic() || chars[i] == '_') {
            let mut j = i;
            let mut segments = 0;
            loop {
                while j < chars.len() && (chars[j].is_alphanumeric() || chars[j] == '_') {
                    j += 1;
                }
                segments += 1;
                if chars.get(j) == Some(&':') && chars.get(j + 1) == Some(&':') {
                    let next = chars.get(j + 2).copied().unwrap_or(' ');
                    if next.is_alphabetic() || next == '_' {
                        j += 2;
                        continue;
                    }
                }
                break;
            }
            if segments > 1 {
                paths.push(chars[i..j].iter().collect());
            }
            i = j;
        } else {
            i += 1;
        }
    }
    paths
}

/// Which module `path`, named in module `from`, is in: the longest prefix that is a module of
/// `modules` (`None` for another crate's path).
fn resolve(from: &str, path: &str, modules: &BTreeSet<String>) -> Option<String> {
    let mut segments: Vec<&str> = path.split("::").filter(|s| !s.is_empty()).collect();
    let mut base: Vec<&str> = from.split("::").filter(|s| !s.is_empty()).collect();
    match segments.first().copied() {
        Some("crate") => {
            base.clear();
            segments.remove(0);
        }
        Some("self") => {
            segments.remove(0);
        }
        Some("super") => {
            while segments.first() == Some(&"super") {
                base.pop();
                segments.remove(0);
            }
        }
        Some(first) => {
            // Relative to `from`: a child module of it, else another crate (or a type).
            let child = if from.is_empty() {
                first.to_string()
            } else {
                format!("{from}::{first}")
            };
            if !modules.contains(&child) {
                return None;
            }
        }
        None => return None,
    }
    base.extend(segments);
    (0..=base.len())
        .rev()
        .map(|n| base[..n].join("::"))
        .find(|m| modules.contains(m))
}

/// The module graph of a crate's files (module, code): which modules each one names.
fn module_graph(files: &[(String, String)]) -> BTreeMap<String, BTreeSet<String>> {
    let modules: BTreeSet<String> = files.iter().map(|(m, _)| m.clone()).collect();
    let mut graph = BTreeMap::new();
    for (module, text) in files {
        let named: BTreeSet<String> = paths_in(&code_of(text))
            .iter()
            .filter_map(|p| resolve(module, p, &modules))
            .filter(|m| m != module)
            .collect();
        graph.insert(module.clone(), named);
    }
    graph
}

/// A cycle of the graph (its modules in order, the first repeated last), if it has one.
fn find_cycle(graph: &BTreeMap<String, BTreeSet<String>>) -> Option<Vec<String>> {
    fn visit(
        at: &str,
        graph: &BTreeMap<String, BTreeSet<String>>,
        done: &mut BTreeSet<String>,
        path: &mut Vec<String>,
    ) -> Option<Vec<String>> {
        if let Some(start) = path.iter().position(|m| m == at) {
            let mut cycle = path[start..].to_vec();
            cycle.push(at.to_string());
            return Some(cycle);
        }
        if done.contains(at) {
            return None;
        }
        path.push(at.to_string());
        for next in graph.get(at).into_iter().flatten() {
            if let Some(cycle) = visit(next, graph, done, path) {
                return Some(cycle);
            }
        }
        path.pop();
        done.insert(at.to_string());
        None
    }
    let mut done = BTreeSet::new();
    graph
        .keys()
        .find_map(|m| visit(m, graph, &mut done, &mut Vec::new()))
}

#[test]
fn the_tui_crate_has_no_import_cycle() {
    // The app routes keys to the views and the drawing reads them; a view that names the app
    // (or the drawing that the app calls) would make the two one tangle again.
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("crates/tui/src");
    let mut paths = Vec::new();
    sources(&src, &mut paths);
    let files: Vec<(String, String)> = paths
        .iter()
        .map(|p| {
            let module = module_of(p.strip_prefix(&src).unwrap());
            (module, std::fs::read_to_string(p).unwrap())
        })
        .collect();
    let graph = module_graph(&files);
    assert!(graph.len() > 20, "the tui crate's files: {graph:?}");
    assert!(
        graph["app"].contains("table") && graph["ui"].contains("app"),
        "the check reads the imports: {graph:?}"
    );
    if let Some(cycle) = find_cycle(&graph) {
        panic!("an import cycle in crates/tui/src: {}", cycle.join(" → "));
    }
    // The views own their state and keys: only the drawing, the app's own parts and the event
    // loop (the crate root) name the app.
    let naming_app: Vec<&String> = graph
        .iter()
        .filter(|(m, named)| {
            named.contains("app")
                && !(m.is_empty() || m.starts_with("ui") || m.starts_with("app::"))
        })
        .map(|(m, _)| m)
        .collect();
    assert!(
        naming_app.is_empty(),
        "views naming the app: {naming_app:?}"
    );
}

#[test]
fn the_cycle_check_sees_a_planted_cycle() {
    let file = |m: &str, code: &str| (m.to_string(), code.to_string());
    let planted = [
        file("", "pub mod app;\npub mod ui;\nuse app::App;"),
        file(
            "app",
            "use super::{ui::{self, table}, keys};\nfn f() { ui::draw(); }",
        ),
        file(
            "ui",
            "mod table;\nuse crate::app::App as Shown;\nfn g() { table::render(); }",
        ),
        file(
            "ui::table",
            "// crate::app is named in a comment only\nuse super::super::keys;",
        ),
        file(
            "keys",
            "use crossterm::event::KeyCode;\n#[cfg(test)]\nmod t { use super::*; }",
        ),
    ];
    let graph = module_graph(&planted);
    assert_eq!(
        graph["app"],
        ["keys", "ui", "ui::table"].map(String::from).into()
    );
    assert_eq!(graph["ui"], ["app", "ui::table"].map(String::from).into());
    assert_eq!(graph["ui::table"], ["keys"].map(String::from).into());
    assert!(graph["keys"].is_empty(), "{graph:?}");
    assert_eq!(
        find_cycle(&graph).map(|c| c.join(" → ")),
        Some("app → ui → app".to_string())
    );
    // Without the app's use of the drawing, no cycle is left.
    let mut fixed = planted.to_vec();
    fixed[1] = file("app", "use super::keys;");
    assert_eq!(find_cycle(&module_graph(&fixed)), None);
}
