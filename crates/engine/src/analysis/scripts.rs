//! Where functions and constructors were defined: the snapshot's `locations` (script id, line,
//! column) and the name of each script, resolved through the snapshot's own script objects.
//!
//! Source: V8's `HeapSnapshotGenerator`. DevTools names a script id through its debugger
//! connection, which a saved snapshot does not have; the script objects are in the heap:
//! - Newer V8 (Chromium) writes a `system / Script` node (type `code`) per script (named
//!   `system / Script / URL` when the script has a URL) with an internal `id` edge to an `int`
//!   number node whose internal `value` edge holds the id, and an internal `name` edge to the
//!   URL string.
//! - Older V8 (Node 20) writes scripts as `code` nodes named after the script and gives them
//!   no id; a closure's internal `shared` edge leads to its `SharedFunctionInfo`, whose
//!   `script_or_debug_info` (or `script`) edge leads to the script, so every closure with a
//!   location ties that location's script id to a script node.
//!
//! Invariants: a script's name is its `name` edge's string, else what its node name says
//! (after `system / Script / `, or the whole name for an older V8's script node); ids with no
//! non-empty name are left out, and the front ends fall back to the id. The first name found
//! for an id wins (the direct `id` edges first). A script's node is the one its name came
//! from; its `source` internal edge holds the script's source text.

use super::values::internal_edge_target;
use crate::graph::{HeapGraph, Location};
use std::collections::HashMap;

/// A function's or constructor's definition site.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SourceLocation {
    /// The script's name (URL or file) from the snapshot, when it has one.
    pub script_name: Option<String>,
    /// V8's script id, and the 0-based line and column, as stored.
    pub location: Location,
}

/// The names of a snapshot's scripts, by script id.
#[derive(Debug, Default, Clone)]
pub struct ScriptNames {
    names: HashMap<u32, String>,
    /// The script node each name came from.
    nodes: HashMap<u32, u32>,
}

/// One script of the heap: its id, name, node and source text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Script {
    /// V8's script id (what locations name).
    pub id: u32,
    /// Its name (URL or file).
    pub name: String,
    /// The script node.
    pub node: u32,
    /// The string node holding its source text, where the heap keeps it.
    pub source: Option<u32>,
    /// A hash of the source text (flat strings only: equal texts, equal hashes), to tell
    /// the same bundle loaded twice.
    pub source_hash: Option<u64>,
}

const SCRIPT_NODE: &str = "system / Script";
const SCRIPT_URL_PREFIX: &str = "system / Script / ";

impl ScriptNames {
    /// Finds every script the snapshot names: one pass over the `code` nodes' names for
    /// script nodes, one over the locations for closures.
    pub fn find(graph: &HeapGraph) -> ScriptNames {
        let mut names = HashMap::new();
        let mut nodes = HashMap::new();
        // Script nodes are `code` nodes: only their names are read.
        let code = graph.node_kinds.code;
        for node in 0..graph.node_count() as u32 {
            if Some(graph.node_type[node as usize]) != code {
                continue;
            }
            let name = graph.raw_name(node);
            if name != SCRIPT_NODE && !name.starts_with(SCRIPT_URL_PREFIX) {
                continue;
            }
            let Some(id) = script_id(graph, node) else {
                continue;
            };
            if let Some(name) = script_name(graph, node) {
                names.entry(id).or_insert_with(|| {
                    nodes.insert(id, node);
                    name
                });
            }
        }
        for &(node, location) in &graph.locations {
            if names.contains_key(&location.script_id)
                || Some(graph.node_type[node as usize]) != graph.node_kinds.closure
            {
                continue;
            }
            let script = internal_edge_target(graph, node, "shared").and_then(|shared| {
                internal_edge_target(graph, shared, "script_or_debug_info")
                    .or_else(|| internal_edge_target(graph, shared, "script"))
            });
            if let Some((script, name)) = script.and_then(|s| Some((s, script_name(graph, s)?))) {
                names.insert(location.script_id, name);
                nodes.insert(location.script_id, script);
            }
        }
        ScriptNames { names, nodes }
    }

    /// Every named script, by id.
    pub fn scripts(&self, graph: &HeapGraph) -> Vec<Script> {
        let mut all: Vec<Script> = self
            .names
            .iter()
            .map(|(&id, name)| {
                let node = self.nodes[&id];
                let source = internal_edge_target(graph, node, "source");
                let flat = source
                    .filter(|&s| Some(graph.node_type[s as usize]) == graph.node_kinds.string);
                Script {
                    id,
                    name: name.clone(),
                    node,
                    source,
                    source_hash: flat.map(|s| {
                        use std::hash::{Hash, Hasher};
                        let mut hasher = std::collections::hash_map::DefaultHasher::new();
                        graph.raw_name(s).hash(&mut hasher);
                        hasher.finish()
                    }),
                }
            })
            .collect();
        all.sort_unstable_by_key(|s| s.id);
        all
    }

    /// The name of script `id`, if the snapshot gives one.
    pub fn get(&self, id: u32) -> Option<&str> {
        self.names.get(&id).map(String::as_str)
    }

    /// The definition site of `node` with its script's name, if the snapshot recorded one.
    pub fn source_location(&self, graph: &HeapGraph, node: u32) -> Option<SourceLocation> {
        let location = graph.location(node)?;
        Some(SourceLocation {
            script_name: self.get(location.script_id).map(str::to_string),
            location,
        })
    }
}

/// The id a newer V8's script node carries (`id` → `int` → `value`).
fn script_id(graph: &HeapGraph, script: u32) -> Option<u32> {
    let number = internal_edge_target(graph, script, "id")?;
    let value = super::values::number_value(graph, number)?;
    graph.raw_name(value).parse().ok()
}

/// A script node's name: its `name` string, else its node name without the `system / Script`
/// prefix.
fn script_name(graph: &HeapGraph, script: u32) -> Option<String> {
    let from_edge = internal_edge_target(graph, script, "name")
        .filter(|&n| graph.node_kinds.string == Some(graph.node_type[n as usize]))
        .map(|n| graph.raw_name(n));
    let raw = graph.raw_name(script);
    let from_node = raw
        .strip_prefix(SCRIPT_URL_PREFIX)
        .unwrap_or(if raw == SCRIPT_NODE { "" } else { raw });
    [from_edge, Some(from_node)]
        .into_iter()
        .flatten()
        .find(|name| !name.is_empty())
        .map(str::to_string)
}
