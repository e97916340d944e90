//! The Summary's named filters (DevTools' filter drop-down): duplicated strings, and objects
//! retained only through detached DOM nodes, contexts, the DevTools console or event handlers.
//!
//! Source: DevTools `HeapSnapshot.createNamedFilter`, `createDuplicatedStringsFilter` and
//! `getDuplicateStrings`, `JSHeapSnapshot.isContextObject`. Invariants:
//! - "Retained by X" filters: a breadth-first pass from the root (over non-weak edges, none of
//!   the distance rules) that never follows an edge the filter refuses; an object passes when
//!   that pass misses it although the normal distances reach it. Refused edges: into detached
//!   nodes (DOM state after propagation); into contexts (`system / Context`, `system /
//!   Context / …`); from a synthetic node by a string-named edge ending in
//!   ` / DevTools console`; into event handlers.
//! - Event handlers: for each `V8EventListener` node, the target of its first edge named `1`
//!   (the callback); the callback itself when it has an edge named `code`, else the first of
//!   its edges' targets that has one, else the callback.
//! - Duplicated strings: string and cons string nodes (not sliced strings), with self size
//!   above 0, skipping cons strings already flattened (a `first` or `second` part whose name
//!   is empty); grouped by name (`node.name()`, so a cons string by its first 1024 units),
//!   and for strings V8 truncated (internal `truncated` edge to a true `bool`) also by the
//!   `length` and `hash` it recorded. An object passes when its group has two or more.
//! - The memory duplicates waste is, per group, its total self size less its largest member
//!   (one copy would do).
//! - Native contexts (`HeapSnapshot.createNamedFilter`'s `sharedNativeContext`,
//!   `noNativeContext`, `nativeContext_<nodeIndex>`): the objects whose native-context owner
//!   ([`super::native_contexts`]) is shared, none, or the native context at that node index
//!   (a node index that is no node's selects nothing, as in DevTools).

use super::detachedness::DomStates;
use super::distances::NO_DISTANCE;
use super::names::{display_name, is_empty_text};
use super::native_contexts;
use super::values::{internal_edge_target, number_value};
use crate::graph::HeapGraph;
use heaptui_common::util::bits::BitVec;
use std::borrow::Cow;
use std::collections::HashMap;

/// A DevTools named filter.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum NamedFilter {
    /// `duplicatedStrings`.
    DuplicatedStrings,
    /// `objectsRetainedByDetachedDomNodes`.
    RetainedByDetachedDomNodes,
    /// `objectsRetainedByContexts`.
    RetainedByContexts,
    /// `objectsRetainedByConsole`.
    RetainedByConsole,
    /// `objectsRetainedByEventHandlers`.
    RetainedByEventHandlers,
    /// `sharedNativeContext`: objects several native contexts reach.
    SharedNativeContext,
    /// `noNativeContext`: objects no native context reaches.
    NoNativeContext,
    /// `nativeContext_<nodeIndex>`: objects only the native context at this node index
    /// (ordinal × node field count, as DevTools addresses nodes) reaches.
    NativeContext(u64),
}

impl NamedFilter {
    /// The filters that take no argument, in DevTools' order.
    pub const FIXED: [NamedFilter; 7] = [
        NamedFilter::DuplicatedStrings,
        NamedFilter::RetainedByDetachedDomNodes,
        NamedFilter::RetainedByContexts,
        NamedFilter::RetainedByConsole,
        NamedFilter::RetainedByEventHandlers,
        NamedFilter::SharedNativeContext,
        NamedFilter::NoNativeContext,
    ];

    /// The prefix of the per-native-context filters' names.
    pub const NATIVE_CONTEXT_PREFIX: &'static str = "nativeContext_";

    /// DevTools' name of the filter (`NodeFilter.filterName`).
    pub fn devtools_name(self) -> String {
        match self {
            NamedFilter::DuplicatedStrings => "duplicatedStrings".into(),
            NamedFilter::RetainedByDetachedDomNodes => "objectsRetainedByDetachedDomNodes".into(),
            NamedFilter::RetainedByContexts => "objectsRetainedByContexts".into(),
            NamedFilter::RetainedByConsole => "objectsRetainedByConsole".into(),
            NamedFilter::RetainedByEventHandlers => "objectsRetainedByEventHandlers".into(),
            NamedFilter::SharedNativeContext => "sharedNativeContext".into(),
            NamedFilter::NoNativeContext => "noNativeContext".into(),
            NamedFilter::NativeContext(index) => format!("{}{index}", Self::NATIVE_CONTEXT_PREFIX),
        }
    }

    /// The filter DevTools names `name` (`nativeContext_` takes a decimal node index).
    pub fn from_devtools_name(name: &str) -> Option<NamedFilter> {
        if let Some(index) = name.strip_prefix(Self::NATIVE_CONTEXT_PREFIX) {
            let decimal = !index.is_empty() && index.bytes().all(|b| b.is_ascii_digit());
            return decimal
                .then(|| index.parse().ok().map(NamedFilter::NativeContext))
                .flatten();
        }
        Self::FIXED.into_iter().find(|f| f.devtools_name() == name)
    }

    /// True for the filters that read the native-context attribution.
    pub fn needs_native_contexts(self) -> bool {
        matches!(
            self,
            NamedFilter::SharedNativeContext
                | NamedFilter::NoNativeContext
                | NamedFilter::NativeContext(_)
        )
    }
}

/// What the analysis knows that the filters read.
pub struct Inputs<'a> {
    /// The graph.
    pub graph: &'a HeapGraph,
    /// Self size per node, redistributed as DevTools shows them.
    pub self_size: &'a [u32],
    /// The normal distances.
    pub distances: &'a [i32],
    /// DOM states after propagation.
    pub dom: &'a DomStates,
    /// Retained size per node (the duplicate groups' order).
    pub retained: &'a [u64],
    /// The native-context owner per node, for the filters that need it (see
    /// [`NamedFilter::needs_native_contexts`]; empty otherwise).
    pub native_context_owner: &'a [i32],
}

/// One bit per node: set when the node passes `filter`.
pub fn passing(inputs: &Inputs, filter: NamedFilter) -> BitVec {
    let graph = inputs.graph;
    match filter {
        NamedFilter::DuplicatedStrings => {
            duplicated_strings(graph, inputs.self_size, inputs.retained).passing
        }
        NamedFilter::RetainedByDetachedDomNodes => {
            retained_by(inputs, &|_, _, to| !inputs.dom.is_detached(to))
        }
        NamedFilter::RetainedByContexts => retained_by(inputs, &|_, _, to| {
            let name = graph.raw_name(to);
            !(name == "system / Context" || name.starts_with("system / Context / "))
        }),
        NamedFilter::RetainedByConsole => {
            let synthetic = graph.node_kinds.synthetic;
            retained_by(inputs, &|from, e, _| {
                !(Some(graph.node_type[from as usize]) == synthetic
                    && has_devtools_string_name(graph, e)
                    && graph
                        .strings
                        .get(graph.edge_name[e])
                        .ends_with(" / DevTools console"))
            })
        }
        NamedFilter::RetainedByEventHandlers => {
            let handlers = event_handlers(graph);
            retained_by(inputs, &|_, _, to| !handlers.get(to as usize))
        }
        NamedFilter::SharedNativeContext => {
            owned_by(inputs, native_contexts::SHARED_NATIVE_CONTEXT)
        }
        NamedFilter::NoNativeContext => owned_by(inputs, native_contexts::NO_NATIVE_CONTEXT),
        NamedFilter::NativeContext(index) => {
            let stride = graph.header.node_fields.len() as u64;
            let ordinal = (index % stride == 0)
                .then(|| i32::try_from(index / stride).ok())
                .flatten();
            match ordinal {
                Some(ordinal) => owned_by(inputs, ordinal),
                None => BitVec::new(graph.node_count()),
            }
        }
    }
}

/// The nodes whose native-context owner is `owner`.
fn owned_by(inputs: &Inputs, owner: i32) -> BitVec {
    let mut passing = BitVec::new(inputs.graph.node_count());
    for (node, _) in inputs
        .native_context_owner
        .iter()
        .enumerate()
        .filter(|&(_, &o)| o == owner)
    {
        passing.set(node);
    }
    passing
}

/// DevTools' `hasStringName`: a shortcut edge whose name reads as a number has none.
fn has_devtools_string_name(graph: &HeapGraph, e: usize) -> bool {
    graph.edge_has_string_name(e)
        && (Some(graph.edge_type[e]) != graph.edge_kinds.shortcut
            || heaptui_common::util::js::parse_int_prefix(graph.strings.get(graph.edge_name[e]))
                .is_none())
}

/// The nodes the pass from the root that follows only edges `follow(from, edge, to)` accepts
/// cannot reach, among those the normal distances reach.
fn retained_by(inputs: &Inputs, follow: &dyn Fn(u32, usize, u32) -> bool) -> BitVec {
    let graph = inputs.graph;
    let n = graph.node_count();
    let weak = graph.edge_kinds.weak;
    let mut reached = BitVec::new(n);
    reached.set(graph.root as usize);
    let mut queue = vec![graph.root];
    let mut head = 0;
    while head < queue.len() {
        let node = queue[head];
        head += 1;
        graph.prefetch_queued(&queue, head);
        for e in graph.edges(node) {
            let to = graph.edge_to[e];
            if Some(graph.edge_type[e]) == weak || reached.get(to as usize) || !follow(node, e, to)
            {
                continue;
            }
            reached.set(to as usize);
            queue.push(to);
        }
    }
    let mut passing = BitVec::new(n);
    for node in 0..n {
        if !reached.get(node) && inputs.distances[node] != NO_DISTANCE {
            passing.set(node);
        }
    }
    passing
}

/// The target of the first edge of `node` whose DevTools name is `name`.
fn edge_target_named(graph: &HeapGraph, node: u32, name: &str) -> Option<u32> {
    graph
        .edges(node)
        .find(|&e| graph.edge_name(e) == name)
        .map(|e| graph.edge_to[e])
}

fn event_handlers(graph: &HeapGraph) -> BitVec {
    let mut handlers = BitVec::new(graph.node_count());
    let listeners = graph.strings.indexes_of("V8EventListener");
    for node in 0..graph.node_count() as u32 {
        if !listeners.contains(&graph.node_name[node as usize]) {
            continue;
        }
        let Some(callback) = edge_target_named(graph, node, "1") else {
            continue;
        };
        let handler = if edge_target_named(graph, callback, "code").is_some() {
            callback
        } else {
            graph
                .edges(callback)
                .map(|e| graph.edge_to[e])
                .find(|&child| edge_target_named(graph, child, "code").is_some())
                .unwrap_or(callback)
        };
        handlers.set(handler as usize);
    }
    handlers
}

/// One group of equal strings.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DuplicateGroup {
    /// The first string of the group (its name is the group's value).
    pub first: u32,
    /// How many strings hold the value.
    pub count: u64,
    /// Their total self size.
    pub total_self_size: u64,
    /// Their total retained size.
    pub total_retained_size: u64,
    /// The largest self size among them.
    pub largest: u64,
    /// True for strings V8 truncated in the snapshot (grouped by length and hash too).
    pub truncated: bool,
}

impl DuplicateGroup {
    /// What the copies beyond one cost.
    pub fn wasted(&self) -> u64 {
        self.total_self_size - self.largest
    }
}

/// The duplicated strings of a snapshot.
pub struct DuplicateStrings {
    /// One bit per node: set for strings whose value occurs more than once.
    pub passing: BitVec,
    /// The groups of two or more, in DevTools' order: total retained size, largest first
    /// (then the first member's position).
    pub groups: Vec<DuplicateGroup>,
}

/// The key strings are grouped by: the name, and for truncated strings the recorded length
/// and hash.
type GroupKey<'a> = (Cow<'a, str>, Option<(Option<i64>, Option<i64>)>);

/// Groups every candidate string by value (`self_size` as DevTools shows them, `retained`
/// per node for the groups' order).
pub fn duplicated_strings(
    graph: &HeapGraph,
    self_size: &[u32],
    retained: &[u64],
) -> DuplicateStrings {
    let k = graph.node_kinds;
    // Millions of strings are hashed here: a fast hash (the keys are the snapshot's own text,
    // and the map lives for one pass).
    let mut group_of: HashMap<GroupKey, usize, foldhash::fast::RandomState> = HashMap::default();
    let mut groups: Vec<DuplicateGroup> = Vec::new();
    let mut members: Vec<(u32, u32)> = Vec::new();
    for node in 0..graph.node_count() as u32 {
        let t = Some(graph.node_type[node as usize]);
        if t != k.string && t != k.cons_string {
            continue;
        }
        let size = u64::from(self_size[node as usize]);
        if size == 0 || is_flat_cons_string(graph, node) {
            continue;
        }
        let name: Cow<str> = if t == k.cons_string {
            Cow::Owned(display_name(graph, node))
        } else {
            Cow::Borrowed(graph.raw_name(node))
        };
        let truncated = is_truncated(graph, node);
        let key = (
            name,
            truncated.then(|| {
                (
                    int_field(graph, node, "length"),
                    int_field(graph, node, "hash"),
                )
            }),
        );
        let next = groups.len();
        let group = *group_of.entry(key).or_insert(next);
        if group == next {
            groups.push(DuplicateGroup {
                first: node,
                count: 0,
                total_self_size: 0,
                total_retained_size: 0,
                largest: 0,
                truncated,
            });
        }
        let g = &mut groups[group];
        g.count += 1;
        g.total_self_size += size;
        g.total_retained_size += retained[node as usize];
        g.largest = g.largest.max(size);
        members.push((node, group as u32));
    }
    let mut passing = BitVec::new(graph.node_count());
    for (node, group) in members {
        if groups[group as usize].count > 1 {
            passing.set(node as usize);
        }
    }
    groups.retain(|g| g.count > 1);
    groups.sort_by(|a, b| {
        b.total_retained_size
            .cmp(&a.total_retained_size)
            .then(a.first.cmp(&b.first))
    });
    DuplicateStrings { passing, groups }
}

/// DevTools' `isFlatConsString`: a cons string one of whose parts has an empty name.
fn is_flat_cons_string(graph: &HeapGraph, node: u32) -> bool {
    if Some(graph.node_type[node as usize]) != graph.node_kinds.cons_string {
        return false;
    }
    graph.edges(node).any(|e| {
        Some(graph.edge_type[e]) == graph.edge_kinds.internal
            && matches!(graph.strings.get(graph.edge_name[e]), "first" | "second")
            && is_empty_text(graph, graph.edge_to[e])
    })
}

/// The value of a `number` node named `kind` (`int`, `bool`) behind an internal edge.
fn number_field<'g>(graph: &'g HeapGraph, node: u32, edge: &str, kind: &str) -> Option<&'g str> {
    let number = internal_edge_target(graph, node, edge)?;
    if graph.raw_name(number) != kind {
        return None;
    }
    number_value(graph, number).map(|v| graph.raw_name(v))
}

fn is_truncated(graph: &HeapGraph, node: u32) -> bool {
    number_field(graph, node, "truncated", "bool") == Some("true")
}

/// `parseInt` of an `int` field, as DevTools' `nodeValueAsInt` (NaN as `None`).
fn int_field(graph: &HeapGraph, node: u32, edge: &str) -> Option<i64> {
    let text = number_field(graph, node, edge, "int")?;
    heaptui_common::util::js::parse_int_prefix(text).and_then(|n| n.parse().ok())
}
