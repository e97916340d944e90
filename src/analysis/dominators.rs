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
//! Vertices are numbered 1..=n (0 is "none"), i.e. ordinal + 1. Buckets are intrusive linked
//! lists, so the algorithm needs eight `u32` arrays of n + 1 and nothing per edge.

use super::bits::BitVec;
use crate::graph::HeapGraph;

/// The dominator tree: `dominator[n]` is node `n`'s immediate dominator (the root's is itself),
/// and `dfs_order` lists nodes so that every node comes after its dominator.
pub struct Dominators {
    /// Immediate dominator ordinal per node.
    pub dominator: Vec<u32>,
    /// Node ordinals in DFS preorder (root first).
    pub dfs_order: Vec<u32>,
}

/// Computes the dominator tree. `edge_essential` has one bit per edge, `slot_essential` one per
/// retainer slot (the same edges seen from their targets).
pub fn compute(graph: &HeapGraph, edge_essential: &BitVec, slot_essential: &BitVec) -> Dominators {
    let n = graph.node_count();
    let len = n + 1;
    let first_edge = &graph.first_edge;
    let edge_to = &graph.edge_to;
    let mut parent = vec![0u32; len];
    let mut ancestor = vec![0u32; len];
    let mut vertex = vec![0u32; len];
    let mut label = vec![0u32; len];
    let mut semi = vec![0u32; len];
    // Next edge to examine per vertex during the DFS; reused as bucket links afterwards.
    let mut next_edge = vec![0u32; len];
    let mut count: u32 = 0;

    let dfs = |start: u32,
               parent: &mut [u32],
               vertex: &mut [u32],
               label: &mut [u32],
               semi: &mut [u32],
               next_edge: &mut [u32],
               count: &mut u32| {
        next_edge[start as usize] = first_edge[start as usize - 1];
        let mut v = start;
        while v != 0 {
            if semi[v as usize] == 0 {
                *count += 1;
                semi[v as usize] = *count;
                vertex[*count as usize] = v;
                label[v as usize] = v;
            }
            let mut v_next = parent[v as usize];
            let end = first_edge[v as usize];
            while next_edge[v as usize] < end {
                let e = next_edge[v as usize] as usize;
                if edge_essential.get(e) {
                    let w = edge_to[e] + 1;
                    if semi[w as usize] == 0 {
                        parent[w as usize] = v;
                        next_edge[w as usize] = first_edge[w as usize - 1];
                        v_next = w;
                        break;
                    }
                }
                next_edge[v as usize] += 1;
            }
            v = v_next;
        }
    };

    let r = graph.root + 1;
    dfs(
        r,
        &mut parent,
        &mut vertex,
        &mut label,
        &mut semi,
        &mut next_edge,
        &mut count,
    );
    if (count as usize) < n {
        for v in 1..=n as u32 {
            if semi[v as usize] == 0 && !graph.retainers.slots(v - 1).any(|s| slot_essential.get(s))
            {
                parent[v as usize] = r;
                dfs(
                    v,
                    &mut parent,
                    &mut vertex,
                    &mut label,
                    &mut semi,
                    &mut next_edge,
                    &mut count,
                );
            }
        }
    }
    if (count as usize) < n {
        for v in 1..=n as u32 {
            if semi[v as usize] == 0 {
                parent[v as usize] = r;
                count += 1;
                semi[v as usize] = count;
                vertex[count as usize] = v;
                label[v as usize] = v;
            }
        }
    }

    let mut bucket_link = next_edge;
    bucket_link.fill(0);
    let mut bucket_head = vec![0u32; len];
    let mut dom = vec![0u32; len];
    let mut stack: Vec<u32> = Vec::new();
    let sources = &graph.retainers.sources;

    let eval = |v: u32,
                ancestor: &mut [u32],
                label: &mut [u32],
                semi: &[u32],
                stack: &mut Vec<u32>|
     -> u32 {
        if ancestor[v as usize] == 0 {
            return v;
        }
        // compress(v), iteratively.
        let mut x = v;
        while ancestor[ancestor[x as usize] as usize] != 0 {
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

    for i in (2..=count).rev() {
        let w = vertex[i as usize];
        let mut orphan = true;
        for slot in graph.retainers.slots(w - 1) {
            if !slot_essential.get(slot) {
                continue;
            }
            orphan = false;
            let v = sources[slot] + 1;
            let u = eval(v, &mut ancestor, &mut label, &semi, &mut stack);
            if semi[u as usize] < semi[w as usize] {
                semi[w as usize] = semi[u as usize];
            }
        }
        if orphan {
            semi[w as usize] = semi[r as usize];
        }
        let b = vertex[semi[w as usize] as usize];
        bucket_link[w as usize] = bucket_head[b as usize];
        bucket_head[b as usize] = w;
        let p = parent[w as usize];
        ancestor[w as usize] = p;
        let mut v = bucket_head[p as usize];
        bucket_head[p as usize] = 0;
        while v != 0 {
            let u = eval(v, &mut ancestor, &mut label, &semi, &mut stack);
            dom[v as usize] = if semi[u as usize] < semi[v as usize] {
                u
            } else {
                p
            };
            v = bucket_link[v as usize];
        }
    }
    dom[0] = r;
    dom[r as usize] = r;
    for i in 2..=count {
        let w = vertex[i as usize];
        if dom[w as usize] != vertex[semi[w as usize] as usize] {
            dom[w as usize] = dom[dom[w as usize] as usize];
        }
    }
    drop((parent, ancestor, label, semi, bucket_link, bucket_head));

    let dominator: Vec<u32> = dom[1..].iter().map(|&d| d - 1).collect();
    let dfs_order: Vec<u32> = vertex[1..=count as usize].iter().map(|&v| v - 1).collect();
    Dominators {
        dominator,
        dfs_order,
    }
}
