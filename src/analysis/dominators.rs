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
//! Unlike DevTools, every array after the DFS is indexed by DFS number (1..=n, 0 is "none"),
//! which is the same algorithm under a renumbering but keeps the main loop's accesses close
//! together. Two facts of the main loop (vertices processed in decreasing DFS number) save
//! memory and cache misses:
//! - a vertex is *linked* exactly when it has been processed, i.e. its number is above the
//!   current one, so `ancestor` needs no separate "unlinked" state and shares its array with
//!   `parent`, and `eval` of an unprocessed vertex is the vertex itself;
//! - a vertex sits in one bucket from its processing until its bucket is drained, and only then
//!   gets its `dom`, so `dom` doubles as the bucket list link.

use super::bits::{prefetch, BitVec};
use crate::graph::HeapGraph;

/// The dominator tree: `dominator[n]` is node `n`'s immediate dominator (the root's is itself),
/// and `dfs_order` lists nodes so that every node comes after its dominator.
pub struct Dominators {
    /// Immediate dominator ordinal per node.
    pub dominator: Vec<u32>,
    /// Node ordinals in DFS preorder (root first).
    pub dfs_order: Vec<u32>,
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

/// Computes the dominator tree. `edge_essential` has one bit per edge, `slot_essential` one per
/// retainer slot (the same edges seen from their targets).
pub fn compute(
    graph: &HeapGraph,
    from_root: Numbering,
    edge_essential: &BitVec,
    slot_essential: &BitVec,
) -> Dominators {
    let n = graph.node_count();
    let Numbering {
        vertex,
        pre,
        parent,
        count,
        ..
    } = number_the_rest(graph, from_root, edge_essential, slot_essential);
    debug_assert_eq!(count as usize, n);
    let len = n + 1;
    // parent[d] until d is processed, then its (compressed) ancestor in the forest.
    let mut ancestor = parent;
    let mut semi: Vec<u32> = (0..len as u32).collect();
    let mut label: Vec<u32> = (0..len as u32).collect();
    let mut dom = vec![0u32; len];
    let mut bucket = vec![0u32; len];
    let mut stack: Vec<u32> = Vec::new();
    let sources = &graph.retainers.sources;
    const ROOT: u32 = 1;

    // Vertices numbered `>= first_linked` are linked into the forest.
    let eval = |v: u32,
                first_linked: u32,
                ancestor: &mut [u32],
                label: &mut [u32],
                semi: &[u32],
                stack: &mut Vec<u32>| {
        if v < first_linked {
            return v;
        }
        let mut x = v;
        while ancestor[x as usize] >= first_linked {
            stack.push(x);
            x = ancestor[x as usize];
        }
        while let Some(w) = stack.pop() {
            let a = ancestor[w as usize];
            if semi[label[a as usize] as usize] < semi[label[w as usize] as usize] {
                label[w as usize] = label[a as usize];
            }
            ancestor[w as usize] = ancestor[a as usize];
        }
        label[v as usize]
    };

    let first_slot = &graph.retainers.first;
    for w in (2..=count).rev() {
        // The loop is bound by memory latency: fetch the retainer lists of the vertices a few
        // steps ahead so their misses overlap with this one's work.
        if w > 16 {
            prefetch(first_slot, vertex[w as usize - 16] as usize);
            let ahead = vertex[w as usize - 8] as usize;
            let slot = first_slot[ahead] as usize;
            prefetch(sources, slot);
            if w > 4 {
                let near = first_slot[vertex[w as usize - 4] as usize] as usize;
                if near < sources.len() {
                    prefetch(&pre, sources[near] as usize);
                }
            }
        }
        let mut orphan = true;
        let mut best = semi[w as usize];
        for slot in graph.retainers.slots(vertex[w as usize]) {
            if !slot_essential.get(slot) {
                continue;
            }
            orphan = false;
            let v = pre[sources[slot] as usize];
            // An unprocessed vertex evaluates to itself and its semi is its own number.
            let candidate = if v < w {
                v
            } else {
                semi[eval(v, w + 1, &mut ancestor, &mut label, &semi, &mut stack) as usize]
            };
            best = best.min(candidate);
        }
        semi[w as usize] = if orphan { ROOT } else { best };
        let b = semi[w as usize];
        dom[w as usize] = bucket[b as usize];
        bucket[b as usize] = w;
        // Linking w into the forest: its ancestor entry already holds its parent.
        let p = ancestor[w as usize];
        let mut v = std::mem::take(&mut bucket[p as usize]);
        while v != 0 {
            let next = dom[v as usize];
            let u = eval(v, w, &mut ancestor, &mut label, &semi, &mut stack);
            dom[v as usize] = if semi[u as usize] < semi[v as usize] {
                u
            } else {
                p
            };
            v = next;
        }
    }
    // Vertices left in undrained buckets (only possible for cliques, whose numbering is not a
    // DFS) never got a dominator; DevTools leaves them 0, which resolves to the root below.
    for head in bucket.iter().copied().filter(|&h| h != 0) {
        let mut v = head;
        while v != 0 {
            let next = dom[v as usize];
            dom[v as usize] = 0;
            v = next;
        }
    }
    drop((ancestor, label, bucket, pre));
    dom[0] = ROOT;
    dom[ROOT as usize] = ROOT;
    for w in 2..=count {
        if dom[w as usize] != semi[w as usize] {
            dom[w as usize] = dom[dom[w as usize] as usize];
        }
    }
    drop(semi);
    let mut dominator = vec![0u32; n];
    for d in 1..=count as usize {
        dominator[vertex[d] as usize] = vertex[dom[d] as usize];
    }
    drop(dom);
    let mut dfs_order = vertex;
    dfs_order.remove(0);
    Dominators {
        dominator,
        dfs_order,
    }
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
    mut numbering: Numbering,
    edge_essential: &BitVec,
    slot_essential: &BitVec,
) -> Numbering {
    let n = graph.node_count();
    let mut visited = std::mem::take(&mut numbering.visited);
    let mut stack: Vec<Frame> = Vec::new();
    if (numbering.count as usize) < n {
        for v in 0..n as u32 {
            if !visited.get(v as usize) && !graph.retainers.slots(v).any(|s| slot_essential.get(s))
            {
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
