//! The heap graph in flat columns: one array per node field, edges in CSR order (a node's
//! outgoing edges are contiguous, as in the file), and the reverse index (retainers) built by a
//! counting sort. Node and edge *ordinals* (0-based positions) are used everywhere; the file's
//! node *indexes* (ordinal × field count) are converted once at parse time.

pub mod array;
pub mod header;
pub mod kinds;
pub mod retainers;
pub mod scopes;
pub mod strings;
pub mod traces;

pub use kinds::{EdgeKinds, NodeKinds};

use array::Array;
use header::Header;
use heaptui_common::util::bits::PREFETCH_AHEAD;
use strings::Strings;

/// Where a closure's or object's constructor was defined (0-based, as stored in the snapshot).
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize,
)]
#[serde(rename_all = "camelCase")]
pub struct Location {
    /// V8's script id.
    pub script_id: u32,
    /// 0-based line.
    pub line: u32,
    /// 0-based column.
    pub column: u32,
}

/// A snapshot's graph as the parser builds it: nodes and edges in flat columns. The analysis
/// settles it once before sharing it (detached DOM nodes get their `Detached ` names and the
/// DOM link states are dropped); from then on it is read-only, and what the analysis derives
/// (self sizes as DevTools shows them, retainers, class names) lives beside it. The self sizes
/// as written in the file come out of the parser beside the graph.
pub struct HeapGraph {
    /// The header (counts, field layout, `extra_native_bytes`).
    pub header: Header,
    /// All strings, indexed as the snapshot's name fields index them.
    pub strings: Strings,
    /// Positions of the node types the analysis cares about.
    pub node_kinds: NodeKinds,
    /// Positions of the edge types the analysis cares about.
    pub edge_kinds: EdgeKinds,
    /// Node type per node.
    pub node_type: Array<u8>,
    /// Name string index per node (analysis may rename detached DOM nodes).
    pub node_name: Array<u32>,
    /// Snapshot object id per node.
    pub node_id: Array<u32>,
    /// DOM link state per node (0 unknown, 1 attached, 2 detached), as the file gives it; the
    /// analysis consumes it (it is empty afterwards; detached nodes keep their `Detached ` name).
    pub detachedness: Vec<u8>,
    /// `first_edge[n]..first_edge[n + 1]` are node `n`'s outgoing edges; `node_count + 1` long.
    pub first_edge: Array<u32>,
    /// Edge type per edge.
    pub edge_type: Array<u8>,
    /// Edge name: a string index for named edge types, an element index otherwise.
    pub edge_name: Array<u32>,
    /// Target node ordinal per edge.
    pub edge_to: Array<u32>,
    /// Ordinal of the synthetic root node.
    pub root: u32,
    /// `(node ordinal, location)` sorted by node ordinal, one per node at most.
    pub locations: Vec<(u32, Location)>,
    /// Allocation stacks, when the snapshot was taken with allocation tracking.
    pub traces: traces::AllocationTraces,
    /// The scope tables (empty for snapshots without them).
    pub scopes: scopes::ScopeTables,
}

impl HeapGraph {
    /// Number of nodes.
    pub fn node_count(&self) -> usize {
        self.node_type.len()
    }

    /// Number of edges.
    pub fn edge_count(&self) -> usize {
        self.edge_to.len()
    }

    /// The outgoing edge ordinals of `node`.
    #[inline]
    pub fn edges(&self, node: u32) -> std::ops::Range<usize> {
        self.first_edge[node as usize] as usize..self.first_edge[node as usize + 1] as usize
    }

    /// Prefetches what expanding the nodes [`PREFETCH_AHEAD`] and twice that ahead in `queue`
    /// will read (their first edges, then their edge ranges): breadth-first passes jump around
    /// memory and are bound by its latency otherwise. The farther node gets only its edge
    /// range, which the nearer fetch then needs.
    #[inline]
    pub fn prefetch_queued(&self, queue: &[u32], head: usize) {
        use heaptui_common::util::bits::prefetch;
        if let Some(&ahead) = queue.get(head + 2 * PREFETCH_AHEAD) {
            prefetch(&self.first_edge, ahead as usize);
        }
        if let Some(&ahead) = queue.get(head + PREFETCH_AHEAD) {
            let e = self.first_edge[ahead as usize] as usize;
            prefetch(&self.edge_to, e);
            prefetch(&self.edge_type, e);
        }
    }

    /// The node `edge` starts from, given a node `from` at or before that one: steps that
    /// double, then a binary search, so the cost is the log of the distance. For walks over
    /// edges in order that skip many nodes between them (page ownership's few thousand
    /// rejected edges on the 1.5 GB bench snapshot: 12 ms walking every node, now none),
    /// while dense edges still move a node or two at a time.
    pub fn edge_source_from(&self, from: u32, edge: usize) -> u32 {
        source_from(&self.first_edge, from as usize, edge) as u32
    }

    /// The node a given edge starts from (binary search over the CSR offsets).
    pub fn edge_source(&self, edge: usize) -> u32 {
        (self
            .first_edge
            .partition_point(|&first| first as usize <= edge)
            - 1) as u32
    }

    /// The raw name of a node (after any `Detached ` renaming).
    #[inline]
    pub fn raw_name(&self, node: u32) -> &str {
        self.strings.get(self.node_name[node as usize])
    }

    /// The type name of a node (`object`, `closure`, …).
    pub fn type_name(&self, node: u32) -> &str {
        &self.header.node_types[self.node_type[node as usize] as usize]
    }

    /// The type name of an edge (`property`, `element`, …); `invisible` for DevTools' extra type.
    pub fn edge_type_name(&self, edge: usize) -> &str {
        self.header
            .edge_types
            .get(self.edge_type[edge] as usize)
            .map_or("invisible", String::as_str)
    }

    /// True when the edge's name field is a string index (not an element or hidden index).
    #[inline]
    pub fn edge_has_string_name(&self, edge: usize) -> bool {
        let t = Some(self.edge_type[edge]);
        t != self.edge_kinds.element && t != self.edge_kinds.hidden
    }

    /// The edge's name as DevTools shows it (`name()`): element and hidden edges print their
    /// index; shortcut edges whose name starts with digits print that number.
    pub fn edge_name(&self, edge: usize) -> String {
        if !self.edge_has_string_name(edge) {
            return self.edge_name[edge].to_string();
        }
        let name = self.strings.get(self.edge_name[edge]);
        if Some(self.edge_type[edge]) == self.edge_kinds.shortcut {
            if let Some(n) = heaptui_common::util::js::parse_int_prefix(name) {
                return n;
            }
        }
        name.to_string()
    }

    /// The location recorded for a node, if any.
    pub fn location(&self, node: u32) -> Option<Location> {
        self.locations
            .binary_search_by_key(&node, |&(n, _)| n)
            .ok()
            .map(|i| self.locations[i].1)
    }

    /// Ordinal of the node with snapshot id `id` (a linear scan, as DevTools does).
    pub fn node_for_id(&self, id: u32) -> Option<u32> {
        self.node_id.iter().position(|&x| x == id).map(|i| i as u32)
    }
}

/// [`HeapGraph::edge_source_from`] over the CSR offsets `first_edge`.
fn source_from(first_edge: &[u32], from: usize, edge: usize) -> usize {
    debug_assert!(first_edge[from] as usize <= edge);
    let mut bound = 1;
    while from + bound < first_edge.len() && first_edge[from + bound] as usize <= edge {
        bound *= 2;
    }
    let low = from + bound / 2;
    let high = (from + bound).min(first_edge.len());
    low + first_edge[low..high].partition_point(|&first| first as usize <= edge) - 1
}

#[cfg(test)]
mod tests {
    /// Every edge's source from every earlier source, with nodes of no edges among them.
    #[test]
    fn source_from_finds_the_source() {
        let counts = [0u32, 2, 0, 0, 1, 3, 0, 1, 5, 0];
        let mut first_edge = vec![0u32];
        for c in counts {
            first_edge.push(first_edge.last().unwrap() + c);
        }
        let edges = *first_edge.last().unwrap() as usize;
        for edge in 0..edges {
            let source = first_edge.partition_point(|&f| f as usize <= edge) - 1;
            for from in 0..=source {
                if first_edge[from] as usize <= edge {
                    assert_eq!(
                        super::source_from(&first_edge, from, edge),
                        source,
                        "{edge} {from}"
                    );
                }
            }
        }
    }
}
