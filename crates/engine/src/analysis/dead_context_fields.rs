//! Closure-context fields no live closure can read: variables V8 keeps in a function's
//! context because some inner function reads them, although no closure that could still run
//! that code is alive. Their values stay alive for nothing.
//!
//! Source: DevTools `ContextAnalyzer.analyzeContexts` (`parseEmbeddedScopes`, `scanHeap`,
//! `buildLiveFunctions`, `correlateContextsWithScopes`, `resolveScopeInfoScriptNodeIndex`,
//! `classifyFields`, `isVariableUsedInContext`, `sortAndBuildResult`), over the scope tables
//! ([`crate::graph::scopes`]). Definition:
//! - Scopes: each row of the table, its parent the nearest earlier row of its script one level
//!   up; keyed by (script node index, scope id), a later row replacing an earlier one. A
//!   variable's users are the scopes whose uses name it (declaring scope id and slot).
//! - Live functions: for each closure with `shared` and `context` (internal edges), its shared
//!   info's `script` and integer `scope_id`: the contexts reachable from its context through
//!   `previous` edges (while they are contexts), per (script, scope id).
//! - Each context with a `scope_info` belongs to that scope info: the first context of a scope
//!   info sets its field names (the context's `context` edges) after the scope info resolves
//!   to a script (its shared function info's, or an outer scope info's, memoised) with scope
//!   tables and to a scope of it by `scope_id`; a script without tables counts its contexts
//!   instead. Later contexts of the scope info add only their values, by position.
//! - A field is dead when it names a variable of the scope (the first of that name) and no
//!   user scope of it, nor any scope enclosing a user, is a live function whose contexts
//!   include this context.
//! - Order: dead fields by retained size (largest first, stable); contexts by the dead fields'
//!   retained sizes summed, then the context's retained size, then position; scopes by their
//!   first context the same way; scripts without tables by position.
//!
//! Invariants: every scope's parent comes before it; the `previous` walk visits each context
//! at most once per live function, so it ends on cyclic input.

use super::values::{int_value, internal_edge_target};
use crate::graph::scopes::ScopeTables;
use crate::graph::HeapGraph;
use std::collections::{HashMap, HashSet};

/// A scope id as DevTools compares them: table ids (read unsigned) and heap integers (read
/// with `parseInt`, possibly negative) meet as numbers.
type ScopeKey = (u64, i64);

/// One scope of the tables.
struct EmbeddedScope {
    parent: Option<usize>,
    /// The scope's variables: (name string index, the scopes that use it).
    variables: Vec<(u32, Vec<usize>)>,
    script: u64,
    scope_id: i64,
}

/// A dead field of one context.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeadField {
    /// The variable's name (the context edge's name).
    pub name: String,
    /// The value's node.
    pub value: u32,
}

/// A context with dead fields.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeadContext {
    /// The context's node.
    pub context: u32,
    /// Its dead fields, by the value's retained size, largest first.
    pub dead_fields: Vec<DeadField>,
    /// The dead values' retained sizes, summed.
    pub dead_retained: u64,
}

/// A function scope whose contexts hold dead fields.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeadScope {
    /// The `system / ScopeInfo` node.
    pub scope_info: u32,
    /// The `system / Script` node.
    pub script: u32,
    /// The script's name (its node's name after `system / Script / `, else its `source_url`).
    pub script_name: String,
    /// The scope info's `function_name`, when it has one.
    pub scope_name: Option<u32>,
    /// Start position in the script (`start_position`, 0 when absent).
    pub start: i64,
    /// End position (`end_position`, 0 when absent).
    pub end: i64,
    /// How many fields the scope's first context holds.
    pub field_count: usize,
    /// Its contexts with dead fields, in order.
    pub contexts: Vec<DeadContext>,
}

/// A script whose contexts could not be analysed: it has no scope tables.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScriptWithoutScopes {
    /// The `system / Script` node.
    pub script: u32,
    /// The script's name.
    pub script_name: String,
    /// How many of its contexts were met.
    pub context_count: u64,
}

/// The analysis.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Analysis {
    /// Scopes with dead fields, in DevTools' order.
    pub scopes: Vec<DeadScope>,
    /// Scripts without scope tables, by position.
    pub scripts_without_scopes: Vec<ScriptWithoutScopes>,
}

/// What the analysis reads beside the graph.
pub struct Inputs<'a> {
    /// The graph (with its scope tables).
    pub graph: &'a HeapGraph,
    /// Retained size per node (the order).
    pub retained: &'a [u64],
}

/// DevTools' `isContextObject`.
fn is_context(graph: &HeapGraph, node: u32) -> bool {
    let name = graph.raw_name(node);
    name == "system / Context" || name.starts_with("system / Context / ")
}

/// The scopes of the tables, and the key → scope map (`parseEmbeddedScopes`).
fn embedded_scopes(tables: &ScopeTables) -> (Vec<EmbeddedScope>, HashMap<ScopeKey, usize>) {
    let mut scopes: Vec<EmbeddedScope> = Vec::with_capacity(tables.rows.len());
    let mut by_key = HashMap::new();
    let mut stack: Vec<usize> = Vec::new();
    let mut script = None;
    for row in &tables.rows {
        if script != Some(row.script_node_index) {
            script = Some(row.script_node_index);
            stack.clear();
        }
        let depth = row.depth as usize;
        // The parser checked that a depth is at most one past the stack.
        let parent = depth.checked_sub(1).and_then(|d| stack.get(d).copied());
        let index = scopes.len();
        debug_assert!(
            parent.is_none_or(|p| p < index),
            "a scope's parent comes first"
        );
        debug_assert_eq!(parent.is_some(), depth > 0, "the parser checked the depths");
        stack.truncate(depth);
        stack.push(index);
        let variables = tables.var_names[row.vars.clone()]
            .iter()
            .map(|&name| (name, Vec::new()))
            .collect();
        let key = (u64::from(row.script_node_index), i64::from(row.scope_id));
        scopes.push(EmbeddedScope {
            parent,
            variables,
            script: key.0,
            scope_id: key.1,
        });
        by_key.insert(key, index);
    }
    for row in &tables.rows {
        let script = u64::from(row.script_node_index);
        let Some(&user) = by_key.get(&(script, i64::from(row.scope_id))) else {
            continue;
        };
        for used in &tables.uses[row.uses.clone()] {
            let Some(&declaring) = by_key.get(&(script, i64::from(used.declaring_scope_id))) else {
                continue;
            };
            if let Some((_, users)) = scopes[declaring]
                .variables
                .get_mut(used.slot_index as usize)
            {
                if !users.contains(&user) {
                    users.push(user);
                }
            }
        }
    }
    (scopes, by_key)
}

/// What one pass over the nodes finds (`scanHeap`).
#[derive(Default)]
struct HeapScan {
    scripts: HashMap<u32, String>,
    /// (context, its scope info).
    contexts: Vec<(u32, u32)>,
    /// (context, script node index, scope id) per closure.
    closures: Vec<(u32, u64, i64)>,
    /// Scope info → its script, or none (a memoised failed lookup).
    scope_info_script: HashMap<u32, Option<u32>>,
}

fn scan(graph: &HeapGraph) -> HeapScan {
    let stride = graph.header.node_fields.len() as u64;
    let closure = graph.node_kinds.closure;
    let mut found = HeapScan::default();
    for node in 0..graph.node_count() as u32 {
        let name = graph.raw_name(node);
        if name.starts_with("system / Script") {
            let mut script_name = name
                .strip_prefix("system / Script / ")
                .unwrap_or("")
                .to_string();
            if script_name.is_empty() {
                script_name = internal_edge_target(graph, node, "source_url")
                    .map(|url| super::names::display_name(graph, url))
                    .unwrap_or_default();
            }
            found.scripts.insert(node, script_name);
        } else if is_context(graph, node) {
            if let Some(info) = internal_edge_target(graph, node, "scope_info") {
                found.contexts.push((node, info));
            }
        } else if Some(graph.node_type[node as usize]) == closure {
            let shared = internal_edge_target(graph, node, "shared");
            let context = internal_edge_target(graph, node, "context");
            let (Some(shared), Some(context)) = (shared, context) else {
                continue;
            };
            let Some(script) = internal_edge_target(graph, shared, "script") else {
                continue;
            };
            if let Some(id) =
                internal_edge_target(graph, shared, "scope_id").and_then(|n| int_value(graph, n))
            {
                found
                    .closures
                    .push((context, u64::from(script) * stride, id));
            }
        } else if name.starts_with("system / SharedFunctionInfo") {
            let info = internal_edge_target(graph, node, "name_or_scope_info");
            let script = internal_edge_target(graph, node, "script");
            if let (Some(info), Some(script)) = (info, script) {
                if graph.raw_name(info) == "system / ScopeInfo"
                    && graph.raw_name(script).starts_with("system / Script")
                {
                    found.scope_info_script.insert(info, Some(script));
                }
            }
        }
    }
    found
}

/// The contexts each live function can reach, per (script node index, scope id)
/// (`buildLiveFunctions`).
fn live_functions(
    graph: &HeapGraph,
    closures: &[(u32, u64, i64)],
) -> HashMap<ScopeKey, HashSet<u32>> {
    let mut live: HashMap<ScopeKey, HashSet<u32>> = HashMap::new();
    for &(context, script, scope_id) in closures {
        let reachable = live.entry((script, scope_id)).or_default();
        let mut at = Some(context);
        while let Some(context) = at.filter(|c| !reachable.contains(c)) {
            if !is_context(graph, context) {
                break;
            }
            reachable.insert(context);
            at = internal_edge_target(graph, context, "previous");
        }
    }
    live
}

/// `resolveScopeInfoScriptNodeIndex`: the script of a scope info, through its outer scope
/// infos, memoised for every scope info on the way.
fn script_of(graph: &HeapGraph, memo: &mut HashMap<u32, Option<u32>>, info: u32) -> Option<u32> {
    if let Some(&known) = memo.get(&info) {
        return known;
    }
    let mut visited = Vec::new();
    let mut seen = HashSet::new();
    let mut current = info;
    let mut script = None;
    while seen.insert(current) {
        if let Some(&known) = memo.get(&current) {
            script = known;
            break;
        }
        visited.push(current);
        match internal_edge_target(graph, current, "outer_scope_info") {
            Some(outer) => current = outer,
            None => break,
        }
    }
    for node in visited {
        memo.insert(node, script);
    }
    script
}

/// A scope info's contexts while they are gathered.
struct Accumulator {
    scope_info: u32,
    script: u32,
    scope_name: Option<u32>,
    start: i64,
    end: i64,
    scope: usize,
    field_names: Vec<u32>,
    /// (context, its field values).
    contexts: Vec<(u32, Vec<u32>)>,
}

/// The `context` edges of a context: (name string index, value).
fn fields(graph: &HeapGraph, context: u32) -> impl Iterator<Item = (u32, u32)> + '_ {
    graph
        .edges(context)
        .filter(|&e| Some(graph.edge_type[e]) == graph.edge_kinds.context)
        .map(|e| (graph.edge_name[e], graph.edge_to[e]))
}

/// Runs DevTools' context analysis.
pub fn analyze(inputs: &Inputs) -> Analysis {
    let graph = inputs.graph;
    let stride = graph.header.node_fields.len() as u64;
    let (scopes, scope_by_key) = embedded_scopes(&graph.scopes);
    let scripts_with_tables: HashSet<u64> = scopes.iter().map(|s| s.script).collect();
    let mut heap = scan(graph);
    let live = live_functions(graph, &heap.closures);

    // correlateContextsWithScopes
    let mut accumulators: Vec<Accumulator> = Vec::new();
    let mut accumulator_of: HashMap<u32, usize> = HashMap::new();
    let mut without: Vec<ScriptWithoutScopes> = Vec::new();
    let mut without_of: HashMap<u32, usize> = HashMap::new();
    for &(context, info) in &heap.contexts {
        if let Some(&a) = accumulator_of.get(&info) {
            let values = fields(graph, context).map(|(_, v)| v).collect();
            accumulators[a].contexts.push((context, values));
            continue;
        }
        let Some(scope_id) =
            internal_edge_target(graph, info, "scope_id").and_then(|n| int_value(graph, n))
        else {
            continue;
        };
        let position = |edge| {
            internal_edge_target(graph, info, edge)
                .and_then(|n| int_value(graph, n))
                .unwrap_or(0)
        };
        let (start, end) = (position("start_position"), position("end_position"));
        let scope_name = internal_edge_target(graph, info, "function_name");
        let Some(script) = script_of(graph, &mut heap.scope_info_script, info) else {
            continue;
        };
        let Some(script_name) = heap.scripts.get(&script) else {
            continue;
        };
        if let Some(&w) = without_of.get(&script) {
            without[w].context_count += 1;
            continue;
        }
        let script_index = u64::from(script) * stride;
        if !scripts_with_tables.contains(&script_index) {
            without_of.insert(script, without.len());
            without.push(ScriptWithoutScopes {
                script,
                script_name: script_name.clone(),
                context_count: 1,
            });
            continue;
        }
        let Some(&scope) = scope_by_key.get(&(script_index, scope_id)) else {
            continue;
        };
        let (field_names, values) = fields(graph, context).unzip();
        accumulator_of.insert(info, accumulators.len());
        accumulators.push(Accumulator {
            scope_info: info,
            script,
            scope_name,
            start,
            end,
            scope,
            field_names,
            contexts: vec![(context, values)],
        });
    }

    let mut result: Vec<DeadScope> = accumulators
        .iter()
        .filter_map(|a| classify(inputs, &scopes, &live, &heap.scripts, a))
        .collect();
    sort(&mut result, inputs.retained);
    without.sort_by_key(|w| w.script);
    Analysis {
        scopes: result,
        scripts_without_scopes: without,
    }
}

/// `isVariableUsedInContext`: some scope using the variable, or one enclosing it, is a live
/// function that reaches `context`.
fn is_used(
    scopes: &[EmbeddedScope],
    live: &HashMap<ScopeKey, HashSet<u32>>,
    users: &[usize],
    context: u32,
) -> bool {
    users.iter().any(|&user| {
        let mut at = Some(user);
        while let Some(scope) = at {
            let s = &scopes[scope];
            if live
                .get(&(s.script, s.scope_id))
                .is_some_and(|contexts| contexts.contains(&context))
            {
                return true;
            }
            at = s.parent;
        }
        false
    })
}

/// `classifyFields` for one scope info: its contexts with dead fields, if any.
fn classify(
    inputs: &Inputs,
    scopes: &[EmbeddedScope],
    live: &HashMap<ScopeKey, HashSet<u32>>,
    scripts: &HashMap<u32, String>,
    a: &Accumulator,
) -> Option<DeadScope> {
    let graph = inputs.graph;
    let scope = &scopes[a.scope];
    let mut contexts = Vec::new();
    for (context, values) in &a.contexts {
        let mut dead_fields = Vec::new();
        let mut dead_retained = 0;
        for (i, &value) in values.iter().enumerate() {
            let Some(&name) = a.field_names.get(i) else {
                continue;
            };
            let name = graph.strings.get(name);
            let Some((_, users)) = scope
                .variables
                .iter()
                .find(|(v, _)| graph.strings.get(*v) == name)
            else {
                continue;
            };
            if is_used(scopes, live, users, *context) {
                continue;
            }
            dead_retained += inputs.retained[value as usize];
            dead_fields.push(DeadField {
                name: name.to_string(),
                value,
            });
        }
        if dead_fields.is_empty() {
            continue;
        }
        dead_fields.sort_by_key(|f| std::cmp::Reverse(inputs.retained[f.value as usize]));
        contexts.push(DeadContext {
            context: *context,
            dead_fields,
            dead_retained,
        });
    }
    if contexts.is_empty() {
        return None;
    }
    Some(DeadScope {
        scope_info: a.scope_info,
        script: a.script,
        script_name: scripts.get(&a.script).cloned().unwrap_or_default(),
        scope_name: a.scope_name,
        start: a.start,
        end: a.end,
        field_count: a.field_names.len(),
        contexts,
    })
}

/// `sortAndBuildResult`'s order of contexts and scopes.
fn sort(scopes: &mut [DeadScope], retained: &[u64]) {
    let order = |c: &DeadContext| {
        (
            std::cmp::Reverse(c.dead_retained),
            std::cmp::Reverse(retained[c.context as usize]),
            c.context,
        )
    };
    for scope in scopes.iter_mut() {
        scope.contexts.sort_by_key(order);
    }
    scopes.sort_by_key(|s| order(&s.contexts[0]));
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::graph::scopes::{ScopeRow, ScopeUse};

    fn row(
        script: u32,
        id: u32,
        depth: u32,
        vars: std::ops::Range<usize>,
        uses: std::ops::Range<usize>,
    ) -> ScopeRow {
        ScopeRow {
            script_node_index: script,
            scope_id: id,
            depth,
            vars,
            uses,
        }
    }

    #[test]
    fn scopes_nest_by_depth_per_script_and_uses_name_their_variables() {
        // Script 6: outer (id 10, vars a b) > inner (id 20, reads b twice) ; script 12: one scope.
        let tables = ScopeTables {
            present: true,
            rows: vec![
                row(6, 10, 0, 0..2, 0..0),
                row(6, 20, 1, 2..2, 0..2),
                row(12, 10, 0, 2..3, 2..3),
            ],
            var_names: vec![1, 2, 3],
            uses: vec![
                ScopeUse {
                    declaring_scope_id: 10,
                    slot_index: 1,
                },
                ScopeUse {
                    declaring_scope_id: 10,
                    slot_index: 1,
                },
                ScopeUse {
                    declaring_scope_id: 10,
                    slot_index: 5,
                },
            ],
        };
        let (scopes, by_key) = embedded_scopes(&tables);
        assert_eq!(scopes[1].parent, Some(0));
        assert_eq!(scopes[2].parent, None, "a new script starts a new stack");
        assert_eq!(
            scopes[0].variables[1],
            (2, vec![1]),
            "b is read by inner, once"
        );
        assert!(scopes[0].variables[0].1.is_empty());
        assert!(
            scopes[2].variables[0].1.is_empty(),
            "a slot past the variables names none"
        );
        assert_eq!(by_key[&(12, 10)], 2, "scope ids are keyed per script");
    }
}
