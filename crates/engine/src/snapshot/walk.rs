//! Walking a snapshot's object graph through the API: edges in both directions with their
//! kinds, nodes by id, what dominator subtrees hold, DevTools' object names and script
//! names. The leak analyses read the graph only through these.

use super::{Location, Partial, Snapshot};
use crate::analysis::{dominated, object_cell};
use crate::graph::retainers::LargeSources;
use std::cell::RefCell;

pub use crate::analysis::dominated::{Ownership, NO_OWNER};

/// The kind of an edge (`meta.edge_types`), as analyses weigh it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum EdgeKind {
    /// A closure's captured variable (`context`).
    Context,
    /// An array index.
    Element,
    /// A named property.
    Property,
    /// An engine-internal reference (`map`, `shared`, `table`, …).
    Internal,
    /// A hidden reference (a root's entries, a backing store's slots).
    Hidden,
    /// A shortcut (a global object's entries, a bound function's target).
    Shortcut,
    /// A weak reference: does not keep the target alive.
    Weak,
    /// Anything else (DevTools' `invisible`, unknown types).
    Other,
}

/// One frame of an allocation stack.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct AllocationFrame {
    /// The function's name (empty for anonymous functions).
    pub function_name: String,
    /// Its script's name, where the snapshot has one.
    pub script_name: Option<String>,
    /// Where it is defined (0-based, as [`Location`]s are), when the snapshot says.
    pub location: Option<Location>,
}

/// Bits of the filter [`Partial::nodes_for_ids`] tests each node's id against first (128 kB:
/// in cache; with 10,000 ids wanted, about one node in a hundred passes to the search).
const ID_FILTER_BITS: usize = 1 << 20;

/// Frames of an allocation stack handed out at most (the allocating function and its callers).
const MAX_FRAMES: usize = 64;

impl Partial {
    /// True when the snapshot was taken with allocation tracking: objects have stacks.
    pub fn has_allocation_stacks(&self) -> bool {
        !self.graph().traces.node_trace.is_empty()
    }

    /// The JS stack that allocated `node`, the allocating function first, then its callers;
    /// empty without allocation tracking.
    pub fn allocation_stack(&self, node: u32) -> Vec<AllocationFrame> {
        let graph = self.graph();
        graph
            .traces
            .stack(node, MAX_FRAMES)
            .into_iter()
            .map(|f| {
                let text = |i: u32| {
                    ((i as usize) < graph.strings.len()).then(|| graph.strings.get(i).to_string())
                };
                AllocationFrame {
                    function_name: text(f.name).unwrap_or_default(),
                    script_name: text(f.script_name).filter(|s| !s.is_empty()),
                    // The trace table counts from 1 (0: unknown); locations count from 0.
                    location: (f.line > 0).then(|| Location {
                        script_id: f.script_id,
                        line: f.line - 1,
                        column: f.column.saturating_sub(1),
                    }),
                }
            })
            .collect()
    }

    /// The kind of `edge`.
    pub fn edge_kind(&self, edge: usize) -> EdgeKind {
        let graph = self.graph();
        let t = Some(graph.edge_type[edge]);
        let k = graph.edge_kinds;
        if t == k.context {
            EdgeKind::Context
        } else if t == k.element {
            EdgeKind::Element
        } else if t == k.property {
            EdgeKind::Property
        } else if t == k.internal {
            EdgeKind::Internal
        } else if t == k.hidden {
            EdgeKind::Hidden
        } else if t == k.shortcut {
            EdgeKind::Shortcut
        } else if t == k.weak {
            EdgeKind::Weak
        } else {
            EdgeKind::Other
        }
    }

    /// The outgoing edges of `node` as `(edge, target)`, in the file's order.
    pub fn edges_from(&self, node: u32) -> impl Iterator<Item = (usize, u32)> + '_ {
        let graph = self.graph();
        graph
            .edges(node)
            .map(move |edge| (edge, graph.edge_to[edge]))
    }

    /// The nodes with the object ids `ids` (one scan for all of them), `None` where the
    /// snapshot has no such object.
    pub fn nodes_for_ids(&self, ids: &[u32]) -> Vec<Option<u32>> {
        // Sorted (id, position) pairs: a binary search per node, no hashing.
        let mut wanted: Vec<(u32, usize)> =
            ids.iter().enumerate().map(|(i, &id)| (id, i)).collect();
        wanted.sort_unstable();
        // A bit per id's low bits: most nodes are not wanted, and one bit test tells.
        let mut maybe = heaptui_common::util::bits::BitVec::new(ID_FILTER_BITS);
        for &(id, _) in &wanted {
            maybe.set(id as usize % ID_FILTER_BITS);
        }
        let mut found = vec![None; ids.len()];
        for (node, id) in self.graph().node_id.iter().enumerate() {
            if !maybe.get(*id as usize % ID_FILTER_BITS) {
                continue;
            }
            let at = wanted.partition_point(|&(w, _)| w < *id);
            for &(w, position) in &wanted[at..] {
                if w != *id {
                    break;
                }
                found[position].get_or_insert(node as u32);
            }
        }
        found
    }

    /// The node as DevTools' Object column names it: `handler()`, `"text"`, `Detached <div>`,
    /// `(Stack roots)`, `{a, b}`; string values are masked when loaded with `redact`.
    pub fn object_cell(&self, node: u32) -> String {
        let redact = self.inner.redact;
        object_cell::object_cell(self.graph(), node, &|value| {
            if redact {
                heaptui_common::util::redact::mask(value)
            } else {
                value.to_string()
            }
        })
    }

    /// The location recorded for a node (a closure's definition, an object's constructor), as
    /// stored; [`Partial::source_location`] adds the script name where the node leads to it.
    pub fn location(&self, node: u32) -> Option<super::Location> {
        self.graph().location(node)
    }
}

impl Snapshot {
    /// Every edge pointing at `node` as `(source, edge)`, of every kind (weak ones too),
    /// unsorted (the Retainers pane's filtered and ordered rows are [`Snapshot::retainers`]).
    /// Costs the sum of the retainers' degrees; to ask about many objects of one collection,
    /// use an [`EdgesTo`].
    pub fn edges_to(&self, node: u32) -> Vec<(u32, usize)> {
        EdgesTo::plain(self).of(node)
    }

    /// Per node, the sum of `weight` over its dominator subtree (itself included): what the
    /// node would free, measured by `weight`.
    pub fn dominated_sums(&self, weight: &dyn Fn(u32) -> u64) -> Vec<u64> {
        dominated::subtree_sums(&self.dominance().dominators, weight)
    }

    /// Per node, the position in `owners` of the nearest of them among the node and its
    /// dominators, or [`NO_OWNER`]: which owner's subtree each node is in.
    pub fn nearest_owners(&self, owners: &[u32]) -> Vec<u32> {
        dominated::nearest_owner(&self.dominance().dominators, owners)
    }

    /// Per node, the position in `owners` of the nearest of them among the node and its
    /// dominators ([`Snapshot::nearest_owners`]), whether a `marked` node that is not an owner
    /// lies between it and that owner, and whether a marked node dominates it at all; one
    /// pass down the dominator tree.
    /// A node that `continues` its dominator (a linked list's next node; empty for none) is
    /// not nested by it.
    pub fn ownership(&self, owners: &[u32], marked: &[bool], continues: &[bool]) -> Ownership {
        dominated::ownership(&self.dominance().dominators, owners, marked, continues)
    }
}

/// Finds the edges pointing at objects, for walks that ask about many objects held by the same
/// large collection (a leak's members): each large source's edges are indexed by target once,
/// so the members of a collection of `n` cost `n log n`, not `n²`. It keeps those indexes for
/// its lifetime (8 bytes per edge of each large source met).
pub struct EdgesTo<'a> {
    snapshot: &'a Snapshot,
    large: Option<RefCell<LargeSources>>,
}

impl<'a> EdgesTo<'a> {
    /// A finder for `snapshot` that indexes large sources as it meets them.
    pub fn new(snapshot: &'a Snapshot) -> EdgesTo<'a> {
        EdgesTo {
            snapshot,
            large: Some(RefCell::default()),
        }
    }

    /// A finder that scans every source (one question, nothing kept).
    fn plain(snapshot: &'a Snapshot) -> EdgesTo<'a> {
        EdgesTo {
            snapshot,
            large: None,
        }
    }

    /// Every edge pointing at `node` as `(source, edge)`, as [`Snapshot::edges_to`] gives them.
    pub fn of(&self, node: u32) -> Vec<(u32, usize)> {
        let graph = self.snapshot.graph();
        let retainers = self.snapshot.dominance().retainers();
        let found = match &self.large {
            Some(large) => {
                let mut large = large.borrow_mut();
                retainers
                    .retaining_edges_with(graph, node, &mut |src| large.edges(graph, src, node))
            }
            None => retainers.retaining_edges(graph, node),
        };
        found
            .into_iter()
            .map(|(_, source, edge)| (source, edge))
            .collect()
    }
}
