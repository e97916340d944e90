//! The Retainers pane: which edges point at an object, in DevTools' order, the chain the pane
//! opens by itself, and the dominator chain.
//!
//! Source: DevTools `createRetainingEdgesProvider`, `retainingEdgesFilter`,
//! `HeapSnapshotEdgesProvider.sort` with the pane's default comparator (`!edgeDistance` asc,
//! `name` asc), `HeapSnapshotRetainingObjectNode.expandRetainersChain(20)` and
//! `getDominatorsOf`. Invariants:
//! - Hidden from the list: `invisible` and `weak` edges, and edges from the synthetic root.
//! - Order: the retainer's distance (unreached: 200000000), then its display name (UTF-16
//!   order), then retainer slot (reverse edge order).
//! - Auto-expansion follows the first retainer while its distance is > 1 and reachable, for at
//!   most 20 levels, and stops at an object already on the chain.

use super::distances::{BASE_UNREACHABLE_DISTANCE, NO_DISTANCE};
use super::names::display_name;
use crate::graph::{retainers::Retainers, HeapGraph};
use heaptui_common::util::js::cmp_utf16;

/// One row of the Retainers pane.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Retainer {
    /// The retaining node.
    pub node: u32,
    /// The edge (from `node` to the retained object).
    pub edge: usize,
    /// The distance the pane shows and sorts by.
    pub distance: i32,
}

impl Retainer {
    /// True when the path to the GC roots goes on through this retainer: it is reachable and
    /// not itself a GC root or user root (distance above 1). DevTools' auto-expansion rule.
    pub fn leads_on(&self) -> bool {
        self.distance > 1 && self.distance < BASE_UNREACHABLE_DISTANCE
    }
}

/// The distance the Retainers view uses for a node.
pub fn view_distance(distances: &[i32], node: u32) -> i32 {
    let d = distances[node as usize];
    if d == NO_DISTANCE {
        BASE_UNREACHABLE_DISTANCE
    } else {
        d
    }
}

/// The retainers of `node`, filtered and sorted as the pane lists them.
pub fn retainers(
    graph: &HeapGraph,
    index: &Retainers,
    distances: &[i32],
    node: u32,
) -> Vec<Retainer> {
    retainers_by(graph, index, node, &|source, _| {
        view_distance(distances, source)
    })
}

/// [`retainers`] with the pane's distance of each retaining edge (source node, edge) given by
/// `distance` (DevTools' `edgeDistance`, which ignored retainers change).
pub fn retainers_by(
    graph: &HeapGraph,
    index: &Retainers,
    node: u32,
    distance: &dyn Fn(u32, usize) -> i32,
) -> Vec<Retainer> {
    let weak = graph.edge_kinds.weak;
    let invisible = graph.edge_kinds.invisible;
    let mut rows: Vec<(usize, Retainer, String)> = index
        .retaining_edges(graph, node)
        .into_iter()
        .filter(|&(_, source, edge)| {
            let t = Some(graph.edge_type[edge]);
            t != invisible && t != weak && source != graph.root
        })
        .map(|(slot, source, edge)| {
            let r = Retainer {
                node: source,
                edge,
                distance: distance(source, edge),
            };
            (slot, r, display_name(graph, source))
        })
        .collect();
    rows.sort_by(|a, b| {
        a.1.distance
            .cmp(&b.1.distance)
            .then_with(|| cmp_utf16(&a.2, &b.2))
            .then(a.0.cmp(&b.0))
    });
    rows.into_iter().map(|(_, r, _)| r).collect()
}

/// One step of the auto-expanded chain.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChainStep {
    /// The retainer shown at this level.
    pub retainer: Retainer,
    /// True when this retainer already appeared closer to the object (not expandable).
    pub cycled: bool,
}

/// The chain the pane opens by itself from `node` towards the GC roots.
pub fn auto_expanded_chain(
    graph: &HeapGraph,
    index: &Retainers,
    distances: &[i32],
    node: u32,
) -> Vec<ChainStep> {
    auto_expanded_chain_by(graph, index, node, &|source, _| {
        view_distance(distances, source)
    })
}

/// [`auto_expanded_chain`] with the pane's edge distances given by `distance` (see
/// [`retainers_by`]).
pub fn auto_expanded_chain_by(
    graph: &HeapGraph,
    index: &Retainers,
    node: u32,
    distance: &dyn Fn(u32, usize) -> i32,
) -> Vec<ChainStep> {
    let mut chain = Vec::new();
    let mut seen = vec![graph.node_id[node as usize]];
    let mut current = node;
    let mut levels = 20;
    while let Some(first) = retainers_by(graph, index, current, distance)
        .into_iter()
        .next()
    {
        let id = graph.node_id[first.node as usize];
        let cycled = seen.contains(&id);
        chain.push(ChainStep {
            retainer: first.clone(),
            cycled,
        });
        levels -= 1;
        if levels <= 0 || cycled {
            break;
        }
        seen.push(id);
        if !first.leads_on() {
            break;
        }
        current = first.node;
    }
    chain
}

/// The dominator chain from `node` up to the root (both included).
pub fn dominator_chain(dominator: &[u32], root: u32, node: u32) -> Vec<u32> {
    let mut chain = vec![node];
    let mut current = node;
    while current != root {
        let next = dominator[current as usize];
        if next == current {
            break;
        }
        chain.push(next);
        current = next;
    }
    chain
}
