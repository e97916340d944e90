//! Immediate dominators over the essential edges (Lengauer–Tarjan, simple version with path
//! compression, iterative DFS).
//!
//! Source: T. Lengauer and R. E. Tarjan, "A fast algorithm for finding dominators in a
//! flowgraph", TOPLAS 1(1), 1979; mirrored on DevTools
//! `HeapSnapshot.calculateDominatorsAndRetainedSizes` so that even unusual graphs give the same
//! tree:
//! - the DFS runs from the root over essential edges, in edge order;
//! - then from each *orphan* (unreached, no essential retainer), in ordinal order, as a child of
//!   the root;
//! - nodes still unreached (cliques retained only by each other) are numbered one by one as
//!   children of the root;
//! - a node with no essential retainer takes the root as its only predecessor.
//!
//! Unlike DevTools, the main loop works in DFS-number space (1..=n, 0 is "none"): the retainer
//! sources are rewritten to DFS numbers in place for its duration (and back after), and each
//! vertex's `ancestor`, `label`, the label's semi and `dom` share one 16-byte record, so an
//! `eval` step costs one cache miss. A vertex's own semi is not kept: it is needed only when
//! its bucket is drained, and a bucket is named after it. It is the same algorithm under a renumbering. Two facts of
//! the main loop (vertices processed in decreasing DFS number) save memory and misses:
//! - a vertex is *linked* exactly when it has been processed, i.e. its number is above the
//!   current one, so `ancestor` needs no separate "unlinked" state and starts as `parent`, and
//!   `eval` of an unprocessed vertex is the vertex itself;
//! - a vertex sits in one bucket from its processing until its bucket is drained, and only then
//!   gets its `dom`, so `dom` doubles as the bucket list link.

use super::bits::{prefetch, BitVec};
#[cfg(doc)]
use super::essential;
use crate::graph::{retainers::Retainers, HeapGraph};
use rayon::prelude::*;

/// The dominator tree: `dominator[n]` is node `n`'s immediate dominator (the root's is itself),
/// and `dfs_order` lists nodes so that every node comes after its dominator. The tree is also
/// given by position in `dfs_order` (`dfs_dominator`), where passes over the whole tree find
/// a node's dominator nearby in memory rather than anywhere.
pub struct Dominators {
    /// Immediate dominator ordinal per node.
    pub dominator: Vec<u32>,
    /// Node ordinals in DFS preorder (root first).
    pub dfs_order: Vec<u32>,
    /// For each position in `dfs_order`, the position of that node's dominator (always
    /// smaller, except the root's, which is 0).
    pub dfs_dominator: Vec<u32>,
}

/// The DFS numbering: `vertex[d]` is the node with number `d`, `pre[node]` its number, and
/// `parent[d]` the number of its DFS tree parent. Built in two steps so the walk from the root
/// (which needs only the edges) can run while the retainers are being built.
pub struct Numbering {
    vertex: Vec<u32>,
    pre: Vec<u32>,
    parent: Vec<u32>,
    count: u32,
    visited: BitVec,
}

/// Per-vertex state of the main loop, one record so `eval` touches one cache line per step.
#[derive(Clone, Copy)]
#[repr(C, align(16))]
struct Vertex {
    /// DFS parent until processed, then the (compressed) forest ancestor.
    ancestor: u32,
    /// The vertex of minimal semi on the compressed path.
    label: u32,
    /// `semi` of `label` (the vertex's own semidominator until compression moves `label`).
    label_semi: u32,
    /// The bucket list link while the vertex waits in a bucket, then its dominator, with
    /// [`DEFERRED`] set when the final pass must replace it by its dominator's dominator.
    dom: u32,
}

/// Marks a `dom` that the final pass resolves (DFS numbers stay below 2³¹: a snapshot with
/// more nodes could not be held in memory).
const DEFERRED: u32 = 1 << 31;

/// Computes the dominator tree. `slot_essential` has one bit per retainer slot, set when the
/// slot's edge is essential (see [`essential::slots_with_page_rule`]). `retainers` is
/// borrowed mutably only to renumber its sources for the main loop; it is returned unchanged.
pub fn compute(
    graph: &HeapGraph,
    retainers: &mut Retainers,
    from_root: Numbering,
    edge_essential: &BitVec,
    slot_essential: BitVec,
) -> Dominators {
    let Numbering {
        vertex,
        pre,
        parent,
        count,
        ..
    } = number_the_rest(graph, retainers, from_root, edge_essential, &slot_essential);
    debug_assert_eq!(count as usize, graph.node_count());
    renumber(&mut retainers.sources, &pre);
    drop(pre);
    let dom = semidominators_and_dominators(retainers, &vertex, parent, count, &slot_essential);
    renumber(&mut retainers.sources, &vertex);
    let mut dominator = vec![0u32; graph.node_count()];
    for d in 1..=count as usize {
        dominator[vertex[d] as usize] = vertex[dom[d] as usize];
    }
    // From DFS numbers (1-based, 0 unused) to positions in `dfs_order`.
    let mut dfs_dominator = dom;
    dfs_dominator.remove(0);
    for position in &mut dfs_dominator {
        *position -= 1;
    }
    let mut dfs_order = vertex;
    dfs_order.remove(0);
    Dominators {
        dominator,
        dfs_order,
        dfs_dominator,
    }
}

/// Rewrites every value `x` of `values` as `map[x]` (independent lookups, so both cores and the
/// memory system's parallelism apply).
fn renumber(values: &mut [u32], map: &[u32]) {
    values.par_chunks_mut(1 << 16).for_each(|chunk| {
        for i in 0..chunk.len() {
            if let Some(&ahead) = chunk.get(i + 16) {
                prefetch(map, ahead as usize);
            }
            chunk[i] = map[chunk[i] as usize];
        }
    });
}

/// Lengauer–Tarjan's main loop and final pass over DFS numbers; `retainers.sources` must hold
/// DFS numbers. Returns `dom` by DFS number.
fn semidominators_and_dominators(
    retainers: &Retainers,
    vertex: &[u32],
    parent: Vec<u32>,
    count: u32,
    slot_essential: &BitVec,
) -> Vec<u32> {
    let len = count as usize + 1;
    debug_assert!(count < DEFERRED);
    let mut state: Vec<Vertex> = Vec::with_capacity(len);
    state.extend(parent.iter().enumerate().map(|(d, &p)| Vertex {
        ancestor: p,
        label: d as u32,
        label_semi: d as u32,
        dom: 0,
    }));
    drop(parent);
    let mut bucket = vec![0u32; len];
    let mut stack: Vec<u32> = Vec::new();
    let sources = &retainers.sources;
    let first_slot = &retainers.first;
    const ROOT: u32 = 1;

    for w in (2..=count).rev() {
        // The loop is bound by memory latency: fetch what the next vertices will need a few
        // steps ahead (their slot ranges, their first sources' records) so misses overlap.
        if w > 24 {
            prefetch(first_slot, vertex[w as usize - 24] as usize);
            prefetch(
                sources,
                first_slot[vertex[w as usize - 12] as usize] as usize,
            );
            let near = first_slot[vertex[w as usize - 6] as usize] as usize;
            if let Some(&v) = sources.get(near) {
                prefetch(&state, v as usize);
            }
        }
        let slots = retainers.slots(vertex[w as usize]);
        let mut orphan = true;
        let mut best = w;
        for slot in slots.clone() {
            if slot + 8 < slots.end {
                prefetch(&state, sources[slot + 8] as usize);
            }
            if !slot_essential.get(slot) {
                continue;
            }
            orphan = false;
            let v = sources[slot];
            // An unprocessed vertex evaluates to itself and its semi is its own number.
            let candidate = if v < w {
                v
            } else {
                eval(v, w + 1, &mut state, &mut stack).1
            };
            best = best.min(candidate);
        }
        let semi = if orphan { ROOT } else { best };
        let record = &mut state[w as usize];
        record.label_semi = semi;
        record.dom = bucket[semi as usize];
        let p = record.ancestor;
        bucket[semi as usize] = w;
        // Linking w into the forest: its ancestor entry already holds its parent. Everything
        // in bucket[p] has p as its semi.
        let mut v = std::mem::take(&mut bucket[p as usize]);
        while v != 0 {
            let next = state[v as usize].dom;
            let (u, u_semi) = eval(v, w, &mut state, &mut stack);
            state[v as usize].dom = if u_semi < p { u | DEFERRED } else { p };
            v = next;
        }
    }
    // Vertices left in undrained buckets (only possible for cliques, whose numbering is not a
    // DFS) never got a dominator; DevTools leaves them 0, which resolves to the root.
    for head in bucket.iter().copied().filter(|&h| h != 0) {
        let mut v = head;
        while v != 0 {
            let next = state[v as usize].dom;
            state[v as usize].dom = ROOT;
            v = next;
        }
    }
    drop(bucket);
    let mut dom = vec![ROOT; len];
    for w in 2..len {
        let d = state[w].dom;
        // A deferred dominator is numbered below w, so its own entry is final.
        dom[w] = if d & DEFERRED != 0 {
            dom[(d & !DEFERRED) as usize]
        } else {
            d
        };
    }
    dom
}

/// `eval` with path compression for vertices numbered `>= first_linked` (the linked ones):
/// the vertex of minimal semi on `v`'s forest path and that semi.
#[inline]
fn eval(v: u32, first_linked: u32, state: &mut [Vertex], stack: &mut Vec<u32>) -> (u32, u32) {
    if v < first_linked {
        return (v, state[v as usize].label_semi);
    }
    let mut x = v;
    loop {
        let a = state[x as usize].ancestor;
        if a < first_linked {
            break;
        }
        stack.push(x);
        x = a;
    }
    while let Some(w) = stack.pop() {
        let a = state[state[w as usize].ancestor as usize];
        let record = &mut state[w as usize];
        if a.label_semi < record.label_semi {
            record.label = a.label;
            record.label_semi = a.label_semi;
        }
        record.ancestor = a.ancestor;
    }
    let record = state[v as usize];
    (record.label, record.label_semi)
}

/// Numbers the nodes reachable from the root as DevTools' DFS does (edges only; no retainers
/// needed yet).
pub fn number_from_root(graph: &HeapGraph, edge_essential: &BitVec) -> Numbering {
    let n = graph.node_count();
    let mut numbering = Numbering {
        vertex: vec![0; n + 1],
        pre: vec![0; n],
        parent: vec![0; n + 1],
        count: 0,
        // A bit per node (L3-sized even for 20 M nodes) answers "visited?" without `pre`.
        visited: BitVec::new(n),
    };
    let mut visited = std::mem::take(&mut numbering.visited);
    numbering.dfs(
        graph,
        graph.root,
        0,
        edge_essential,
        &mut visited,
        &mut Vec::new(),
    );
    numbering.visited = visited;
    numbering
}

/// Numbers what the root does not reach: from each orphan (no essential retainer), in ordinal
/// order, then the cliques one by one.
fn number_the_rest(
    graph: &HeapGraph,
    retainers: &Retainers,
    mut numbering: Numbering,
    edge_essential: &BitVec,
    slot_essential: &BitVec,
) -> Numbering {
    let n = graph.node_count();
    let mut visited = std::mem::take(&mut numbering.visited);
    let mut stack: Vec<Frame> = Vec::new();
    if (numbering.count as usize) < n {
        for v in 0..n as u32 {
            if !visited.get(v as usize) && !retainers.slots(v).any(|s| slot_essential.get(s)) {
                numbering.dfs(graph, v, 1, edge_essential, &mut visited, &mut stack);
            }
        }
    }
    if (numbering.count as usize) < n {
        for v in 0..n as u32 {
            if !visited.get(v as usize) {
                visited.set(v as usize);
                numbering.visit(v, 1);
            }
        }
    }
    numbering
}

/// A node on the DFS stack with the edges it has left to examine (kept on the stack so the
/// walk touches no per-node array when it returns to a node).
struct Frame {
    number: u32,
    next_edge: u32,
    end: u32,
}

impl Numbering {
    fn visit(&mut self, node: u32, parent_number: u32) -> u32 {
        self.count += 1;
        self.vertex[self.count as usize] = node;
        self.pre[node as usize] = self.count;
        self.parent[self.count as usize] = parent_number;
        self.count
    }

    /// Iterative DFS over essential edges in edge order; a node returns to its parent once it
    /// has no unvisited essential successor left (DevTools' order exactly).
    fn dfs(
        &mut self,
        graph: &HeapGraph,
        start: u32,
        parent_number: u32,
        edge_essential: &BitVec,
        visited: &mut BitVec,
        stack: &mut Vec<Frame>,
    ) {
        let frame = |number: u32, node: u32| {
            let (next_edge, end) = (
                graph.first_edge[node as usize],
                graph.first_edge[node as usize + 1],
            );
            // The walk will soon need the edge ranges of this node's targets.
            for e in next_edge..end.min(next_edge + 8) {
                prefetch(&graph.first_edge, graph.edge_to[e as usize] as usize);
            }
            Frame {
                number,
                next_edge,
                end,
            }
        };
        visited.set(start as usize);
        let number = self.visit(start, parent_number);
        stack.push(frame(number, start));
        while let Some(top) = stack.last_mut() {
            let mut child = None;
            while top.next_edge < top.end {
                let e = top.next_edge as usize;
                top.next_edge += 1;
                if edge_essential.get(e) && !visited.get(graph.edge_to[e] as usize) {
                    child = Some(graph.edge_to[e]);
                    break;
                }
            }
            match child {
                Some(w) => {
                    let parent = top.number;
                    visited.set(w as usize);
                    let number = self.visit(w, parent);
                    stack.push(frame(number, w));
                }
                None => {
                    stack.pop();
                }
            }
        }
    }
}
