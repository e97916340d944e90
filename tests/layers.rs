//! The layer order of the crate, checked on its source: each top-level module may name (as
//! `crate::module`) only the modules below it, and the two front ends never each other. A
//! change that makes the graph know the analysis, or the TUI call into the CLI, fails here.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// Each layer and what it may use, lowest first.
const LAYERS: &[(&str, &[&str])] = &[
    ("util", &[]),
    ("progress", &[]),
    ("error", &["util"]),
    ("graph", &["util", "error"]),
    ("parse", &["graph", "util", "error", "progress"]),
    ("analysis", &["graph", "util", "error", "progress"]),
    (
        "snapshot",
        &["analysis", "graph", "parse", "util", "error", "progress"],
    ),
    ("leaks", &["snapshot", "util", "error"]),
    ("present", &["snapshot", "leaks", "util", "error"]),
    ("capture", &["util", "error"]),
    (
        "cli",
        &[
            "present", "leaks", "snapshot", "capture", "util", "error", "progress",
        ],
    ),
    (
        "tui",
        &["present", "leaks", "snapshot", "util", "error", "progress"],
    ),
    (
        "app",
        &[
            "cli", "tui", "capture", "snapshot", "util", "error", "progress",
        ],
    ),
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
fn every_module_uses_only_the_layers_below_it() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
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
        if top == "lib" || top == "main" {
            continue;
        }
        let allowed = layers
            .get(top)
            .unwrap_or_else(|| panic!("src/{top}: a module without a place in LAYERS"));
        let text = std::fs::read_to_string(file).unwrap();
        for name in named_modules(&text) {
            if name != top && !allowed.contains(&name.as_str()) {
                wrong.push(format!("src/{}: uses crate::{name}", relative.display()));
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
