//! Holders that retain without dominating: shared ownership, where what accumulates hangs
//! from more than one place (Node's timer lists are in both a map by duration and a priority
//! queue), so its dominator is the root and the dominator tree has no accumulation point.
//!
//! Source: Eclipse MAT's suspects for groups of objects (`FindLeaksQuery`,
//! `MultiplePathsFromGCRoots`): the paths of the objects from the GC roots are merged into a
//! tree, and the walk descends it to the accumulation point. Here the paths are the
//! explanatory ones ([`super::explain`]) of an evenly spread sample of the objects no
//! dominated holder owns, each weighted by its retained size, and the walk is
//! [`super::accumulation`]'s.

use super::accumulation::{self, Tree};
use super::explain::Paths;
use std::collections::HashMap;

/// Objects whose paths are merged: as many as for the code list of a holder.
pub const SAMPLE: usize = 200;

/// One node of the merged paths: a heap node at one depth from the roots.
struct Branch {
    node: u32,
    memory: u64,
    children: HashMap<u32, usize>,
}

/// The accumulation points among the merged explanatory paths of `objects` (a sample is
/// taken), whose memory together is scaled to `memory`; `can_hold` says which heap nodes may
/// be reported; `threshold` is in the same bytes as `memory`.
pub fn points(
    paths: &Paths<'_>,
    objects: &[u32],
    memory: u64,
    threshold: u64,
    can_hold: &dyn Fn(u32) -> bool,
) -> Vec<u32> {
    let snapshot = paths.snapshot();
    if objects.is_empty() {
        return Vec::new();
    }
    let stride = objects.len().div_ceil(SAMPLE).max(1);
    let sample: Vec<u32> = objects.iter().step_by(stride).copied().collect();
    let sampled: u64 = sample.iter().map(|&n| snapshot.retained_size(n)).sum();
    let scale = memory as f64 / sampled.max(1) as f64;
    let mut branches = vec![Branch {
        node: snapshot.root(),
        memory: 0,
        children: HashMap::new(),
    }];
    for &object in &sample {
        let weight = (snapshot.retained_size(object) as f64 * scale) as u64;
        let path = paths.of(object);
        let from_root = path.hops.iter().rev().map(|h| h.node).chain([object]);
        let mut at = 0;
        branches[0].memory += weight;
        for node in from_root {
            let next = match branches[at].children.get(&node) {
                Some(&next) => next,
                None => {
                    branches.push(Branch {
                        node,
                        memory: 0,
                        children: HashMap::new(),
                    });
                    let next = branches.len() - 1;
                    branches[at].children.insert(node, next);
                    next
                }
            };
            branches[next].memory += weight;
            at = next;
        }
    }
    let tree = Tree {
        children: &|b: usize| branches[b].children.values().copied().collect(),
        memory: &|b: usize| branches[b].memory,
        can_hold: &|b: usize| can_hold(branches[b].node),
        threshold,
    };
    let mut found: Vec<u32> = accumulation::points(&tree, &[0])
        .into_iter()
        .map(|b| branches[b].node)
        .collect();
    found.sort_unstable();
    found.dedup();
    found
}
