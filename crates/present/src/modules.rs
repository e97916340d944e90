//! Memory by module: the retained size of the app's own files, of each npm package and of
//! Node's internals, and the script source each keeps; the JSON document of `heaptui modules`
//! (field names are an interface).
//!
//! Definition. A node *has a module* when the snapshot records a location for it (a closure's
//! definition, an object's constructor): the module of that location's script, by its name —
//! `node_modules/<pkg>` (`@scope/pkg` for scoped packages; the innermost `node_modules`) is
//! the package, `node:…` and Node's `internal/…` scripts are Node's internals, any other named
//! script is one of the app's own files, and a script the snapshot does not name is counted as
//! unnamed. Every node is attributed to the nearest node among itself and its dominators that
//! has a module ([`Snapshot::nearest_owners`]): a dominator subtree goes to the nearest module
//! above it, so each node is counted once and a module's size is the self sizes of its nodes.
//! Nodes with no such dominator are unattributed.
//!
//! Source: the dominator tree of DevTools' retained sizes; the package rule is Node's module
//! resolution (a package is the directory after the last `node_modules`).
//!
//! Invariants: the modules' sizes and the unattributed size add up to the heap's total self
//! size (the root's retained size); a script's source is counted with the module of the
//! script's name. Duplicated bundles: one package name at two install paths, or one source
//! text under two script names (Node's internals left out: they share placeholder sources).

use heaptui_engine::{Script, Snapshot, NO_OWNER};
use serde::Serialize;
use std::collections::{BTreeSet, HashMap};

/// What kind of code a module is.
#[derive(Serialize, Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[serde(rename_all = "camelCase")]
pub enum ModuleKind {
    /// One of the app's own files.
    App,
    /// An npm package (`node_modules/<pkg>`).
    Package,
    /// Node's internals (`node:…`, `internal/…`).
    Node,
    /// Scripts the snapshot does not name.
    Unnamed,
}

/// The name Node's internals are listed under.
const NODE_INTERNALS: &str = "node internals";
/// The name unnamed scripts are listed under.
const UNNAMED: &str = "(unnamed scripts)";

/// A script's module: its kind, its name, and for a package the directory it is installed in.
pub fn module_of(script: &str) -> (ModuleKind, String, Option<String>) {
    let path = script.replace('\\', "/");
    let path = path.strip_prefix("file://").unwrap_or(&path);
    if path.starts_with("node:") || path.starts_with("internal/") {
        return (ModuleKind::Node, NODE_INTERNALS.to_string(), None);
    }
    const MARK: &str = "/node_modules/";
    if let Some(at) = path.rfind(MARK) {
        let rest = &path[at + MARK.len()..];
        let mut parts = rest.split('/');
        let first = parts.next().unwrap_or("");
        let name = if first.starts_with('@') {
            format!("{first}/{}", parts.next().unwrap_or(""))
        } else {
            first.to_string()
        };
        let dir = format!("{}{name}", &path[..at + MARK.len()]);
        return (ModuleKind::Package, name, Some(dir));
    }
    (ModuleKind::App, path.to_string(), None)
}

/// `heaptui modules --json`.
#[derive(Serialize, Debug)]
#[serde(rename_all = "camelCase")]
pub struct Modules {
    /// The snapshot file.
    pub file: String,
    /// DevTools' total size.
    pub total_size: u64,
    /// What no module's code dominates (the runtime's own objects, globals).
    pub unattributed_size: u64,
    /// The modules, largest retained size first.
    pub modules: Vec<Module>,
    /// Modules left out (`--top`, a page).
    pub more: usize,
    /// Bundles loaded twice.
    pub duplicates: Vec<Duplicate>,
}

/// One module.
#[derive(Serialize, Debug, Clone)]
#[serde(rename_all = "camelCase")]
pub struct Module {
    /// The package name, the app file, or `node internals`.
    pub name: String,
    /// What it is.
    pub kind: ModuleKind,
    /// The self sizes of the objects attributed to it, each object once.
    pub retained_size: u64,
    /// Its share of the total size, in percent.
    pub percent: f64,
    /// How many objects are attributed to it.
    pub objects: u64,
    /// How many of its scripts the heap holds.
    pub scripts: usize,
    /// The retained size of its scripts' source texts.
    pub source_size: u64,
    /// For a package, the directories it is installed in (more than one: a duplicate).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub paths: Vec<String>,
    /// True when it is part of a duplicated bundle (`duplicates` says how).
    pub duplicated: bool,
}

/// A bundle loaded twice.
#[derive(Serialize, Debug, Clone)]
#[serde(rename_all = "camelCase")]
pub struct Duplicate {
    /// `samePackage` (one package name at two install paths) or `sameSource` (one source
    /// text under two script names).
    pub reason: &'static str,
    /// The package, or the first script's module.
    pub name: String,
    /// The install paths or the script names.
    pub at: Vec<String>,
    /// The retained size of the copies' source texts, added up.
    pub source_size: u64,
}

/// Per module, what the attribution and the scripts give.
#[derive(Default)]
struct Tally {
    kind: Option<ModuleKind>,
    retained: u64,
    objects: u64,
    scripts: usize,
    source: u64,
    paths: BTreeSet<String>,
}

impl Modules {
    /// Attributes `snapshot`'s objects to modules; lists the first `top`.
    pub fn new(snapshot: &Snapshot, top: usize) -> Modules {
        let scripts = snapshot.scripts();
        let mut names: Vec<String> = Vec::new();
        let mut index: HashMap<String, usize> = HashMap::new();
        let mut tallies: Vec<Tally> = Vec::new();
        let mut module_index = |kind: ModuleKind, name: String| -> usize {
            *index.entry(name.clone()).or_insert_with(|| {
                names.push(name);
                tallies.push(Tally {
                    kind: Some(kind),
                    ..Tally::default()
                });
                tallies.len() - 1
            })
        };
        let mut by_script: HashMap<u32, usize> = HashMap::new();
        let mut script_module: Vec<usize> = Vec::with_capacity(scripts.len());
        let mut package_dirs: Vec<(usize, String)> = Vec::new();
        for script in &scripts {
            let (kind, name, dir) = module_of(&script.name);
            let at = module_index(kind, name);
            by_script.insert(script.id, at);
            script_module.push(at);
            if let Some(dir) = dir {
                package_dirs.push((at, dir));
            }
        }
        let unnamed = module_index(ModuleKind::Unnamed, UNNAMED.to_string());
        let (owners, owner_module): (Vec<u32>, Vec<usize>) = snapshot
            .located_nodes()
            .map(|(node, at)| {
                let module = by_script.get(&at.script_id).copied().unwrap_or(unnamed);
                (node, module)
            })
            .unzip();
        let nearest = snapshot.nearest_owners(&owners);
        let mut unattributed = 0;
        for (node, &owner) in nearest.iter().enumerate() {
            let size = snapshot.self_size(node as u32);
            if owner == NO_OWNER {
                unattributed += size;
            } else {
                let tally = &mut tallies[owner_module[owner as usize]];
                tally.retained += size;
                tally.objects += 1;
            }
        }
        debug_assert_eq!(
            tallies.iter().map(|t| t.retained).sum::<u64>() + unattributed,
            snapshot.retained_size(snapshot.root()),
            "every object is counted once"
        );
        for (at, dir) in package_dirs {
            tallies[at].paths.insert(dir);
        }
        let mut counted_sources = BTreeSet::new();
        for (script, &at) in scripts.iter().zip(&script_module) {
            tallies[at].scripts += 1;
            if let Some(source) = script.source.filter(|&s| counted_sources.insert(s)) {
                tallies[at].source += snapshot.retained_size(source);
            }
        }
        let duplicates = duplicates(snapshot, &scripts, &names, &tallies, &script_module);
        let duplicated: BTreeSet<&str> = duplicates.iter().map(|d| d.name.as_str()).collect();
        let total = snapshot.total_size();
        let mut modules: Vec<Module> = names
            .iter()
            .zip(&tallies)
            .filter(|(_, t)| t.objects > 0 || t.scripts > 0)
            .map(|(name, t)| Module {
                name: name.clone(),
                kind: t.kind.unwrap_or(ModuleKind::Unnamed),
                retained_size: t.retained,
                percent: 100.0 * t.retained as f64 / total.max(1) as f64,
                objects: t.objects,
                scripts: t.scripts,
                source_size: t.source,
                paths: if t.paths.len() > 1 {
                    t.paths.iter().cloned().collect()
                } else {
                    Vec::new()
                },
                duplicated: duplicated.contains(name.as_str()),
            })
            .collect();
        modules.sort_by(|a, b| {
            b.retained_size
                .cmp(&a.retained_size)
                .then_with(|| a.name.cmp(&b.name))
        });
        let more = modules.len().saturating_sub(top);
        modules.truncate(top);
        Modules {
            file: snapshot.path().display().to_string(),
            total_size: total,
            unattributed_size: unattributed,
            modules,
            more,
            duplicates,
        }
    }
}

/// Packages installed at two paths, then source texts under two script names.
fn duplicates(
    snapshot: &Snapshot,
    scripts: &[Script],
    names: &[String],
    tallies: &[Tally],
    script_module: &[usize],
) -> Vec<Duplicate> {
    let mut out: Vec<Duplicate> = Vec::new();
    for (name, tally) in names.iter().zip(tallies) {
        if tally.paths.len() > 1 {
            out.push(Duplicate {
                reason: "samePackage",
                name: name.clone(),
                at: tally.paths.iter().cloned().collect(),
                source_size: tally.source,
            });
        }
    }
    let mut by_source: HashMap<u64, Vec<usize>> = HashMap::new();
    for (i, script) in scripts.iter().enumerate() {
        // Node's internals share placeholder sources; they are not bundles.
        let internal = tallies[script_module[i]].kind == Some(ModuleKind::Node);
        if let Some(hash) = script.source_hash.filter(|_| !internal) {
            by_source.entry(hash).or_default().push(i);
        }
    }
    let mut same_source: Vec<Duplicate> = by_source
        .into_values()
        .filter(|copies| {
            copies
                .iter()
                .map(|&i| scripts[i].name.as_str())
                .collect::<BTreeSet<_>>()
                .len()
                > 1
        })
        .map(|copies| Duplicate {
            reason: "sameSource",
            name: names[script_module[copies[0]]].clone(),
            at: copies.iter().map(|&i| scripts[i].name.clone()).collect(),
            source_size: copies
                .iter()
                .filter_map(|&i| scripts[i].source)
                .map(|s| snapshot.retained_size(s))
                .sum(),
        })
        .collect();
    same_source.sort_by(|a, b| b.source_size.cmp(&a.source_size).then(a.at.cmp(&b.at)));
    out.extend(same_source);
    out
}

/// Characters of a module's name a text report keeps (its end: a file's name is its last
/// part).
const LABEL_NAME_CHARS: usize = 36;

/// A module's one-line label for text reports: `express (package)`, `…/src/cache.js (app)`.
pub fn label(module: &Module) -> String {
    let kind = match module.kind {
        ModuleKind::App => "app",
        ModuleKind::Package => "package",
        ModuleKind::Node => "node",
        ModuleKind::Unnamed => "unnamed",
    };
    let chars = module.name.chars().count();
    let name = if chars > LABEL_NAME_CHARS {
        let tail: String = module
            .name
            .chars()
            .skip(chars - (LABEL_NAME_CHARS - 1))
            .collect();
        format!("…{tail}")
    } else {
        module.name.clone()
    };
    format!("{name} ({kind})")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scripts_name_their_modules() {
        let m = |s: &str| module_of(s);
        assert_eq!(
            m("/srv/app/node_modules/express/lib/router/index.js"),
            (
                ModuleKind::Package,
                "express".into(),
                Some("/srv/app/node_modules/express".into())
            )
        );
        assert_eq!(
            m("/a/node_modules/x/node_modules/@scope/pkg/index.js").1,
            "@scope/pkg"
        );
        assert_eq!(m("node:events").0, ModuleKind::Node);
        assert_eq!(m("internal/streams/readable").0, ModuleKind::Node);
        assert_eq!(
            m("file:///srv/app/server.js"),
            (ModuleKind::App, "/srv/app/server.js".into(), None)
        );
    }
}
