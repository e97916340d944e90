//! The layer order inside the engine crate, checked on its source. Between crates Cargo keeps
//! the order (a lower crate cannot name a higher one, and the front ends do not depend on each
//! other); inside `heaptui-engine` the pipeline is private modules, so each may name (as
//! `crate::module`) only the modules below it. A change that makes the graph know the
//! analysis, or the parser the snapshot API, fails here.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// Each engine module and what it may use, lowest first.
const LAYERS: &[(&str, &[&str])] = &[
    ("graph", &[]),
    ("parse", &["graph"]),
    ("analysis", &["graph"]),
    ("snapshot", &["analysis", "graph", "parse"]),
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
