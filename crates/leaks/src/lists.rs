//! Linked lists: leaked objects chained to one another (`a.next = b`), as Node's EventTarget
//! keeps its listeners (`Listener.next`), its timer lists their timers (`_idleNext`) and
//! hand-written queues their jobs. In the dominator tree each node of such a list dominates the
//! next, so counted the ordinary way ([`super::members`]: nested objects once) a list of a
//! thousand new nodes is one member, and the deepest node that existed in the first snapshot
//! looks like the holder, its path hundreds of `next` hops long.
//!
//! Definition: a *link* is a property edge from an object to another of the same class that it
//! immediately dominates; a *list* is a run of at least [`MIN_RUN`] objects joined by links of
//! one edge name. A node that continues a list is a member in its own right (the previous node
//! does not nest it), and a holder inside a list is replaced by the list's owner: the nearest
//! object able to hold above the list's first node. Invariant: continuing nodes are linked to
//! their immediate dominator, so walking up a list follows the dominator chain and ends.

use heaptui_engine::{EdgeKind, Snapshot};
use std::collections::{HashMap, HashSet};

/// The shortest run of linked objects taken for a list: two links of one name in a row. One
/// link alone is an ordinary field holding another object of its class (a parent, a config).
pub const MIN_RUN: usize = 3;

/// The name of the link from `node`'s immediate dominator to `node`, when there is one.
fn link_name(snapshot: &Snapshot, node: u32) -> Option<String> {
    let dominator = snapshot.dominator(node);
    if dominator == node || snapshot.class_name(dominator) != snapshot.class_name(node) {
        return None;
    }
    snapshot
        .edges_from(dominator)
        .find(|&(edge, to)| to == node && snapshot.edge_kind(edge) == EdgeKind::Property)
        .map(|(edge, _)| snapshot.edge_name(edge))
}

/// Per node of `snapshot`, whether it continues a list among the `candidates` (both it and the
/// node before it are candidates). One pass over the candidates' edges.
pub fn continuations(snapshot: &Snapshot, candidates: &[bool]) -> Vec<bool> {
    let mut links: HashMap<u32, String> = HashMap::new();
    for source in (0..candidates.len() as u32).filter(|&n| candidates[n as usize]) {
        for (edge, to) in snapshot.edges_from(source) {
            if candidates[to as usize]
                && snapshot.edge_kind(edge) == EdgeKind::Property
                && snapshot.dominator(to) == source
                && snapshot.class_name(to) == snapshot.class_name(source)
            {
                links.insert(to, snapshot.edge_name(edge));
            }
        }
    }
    // A link counts when the run it is in has MIN_RUN nodes: the node before it is linked by
    // the same name, or the node after it is.
    let continued: HashSet<u32> = links
        .iter()
        .filter(|&(&node, name)| links.get(&snapshot.dominator(node)) == Some(name))
        .map(|(&node, _)| snapshot.dominator(node))
        .collect();
    let mut result = vec![false; candidates.len()];
    for (&node, name) in &links {
        let before = snapshot.dominator(node);
        if links.get(&before) == Some(name) || continued.contains(&node) {
            result[node as usize] = true;
        }
    }
    result
}

/// When `node` is in a list (whatever the series added), the list's owner: the nearest object
/// above the list's first node that `can_hold` accepts. `None` when `node` is in no list.
pub fn owner_of(snapshot: &Snapshot, node: u32, can_hold: &dyn Fn(u32) -> bool) -> Option<u32> {
    let name = link_name(snapshot, node).or_else(|| {
        // The last old node of a list the series extended: linked to what follows it.
        snapshot.edges_from(node).find_map(|(edge, to)| {
            link_name(snapshot, to).filter(|_| snapshot.edge_kind(edge) == EdgeKind::Property)
        })
    })?;
    // Up the list while each node is linked by the same name to the one before.
    let mut first = node;
    let mut run = 1;
    while link_name(snapshot, first).as_ref() == Some(&name) {
        first = snapshot.dominator(first);
        run += 1;
    }
    let below = snapshot
        .edges_from(node)
        .filter(|&(_, to)| link_name(snapshot, to).as_ref() == Some(&name))
        .count();
    if run + below < MIN_RUN {
        return None;
    }
    snapshot
        .dominator_chain(first)
        .into_iter()
        .skip(1)
        .find(|&n| can_hold(n))
}

/// The nodes that follow `node` in the list it starts or continues (links of one name, each
/// to the next), in order; empty when the run from `node` is shorter than [`MIN_RUN`].
pub fn rest_of(snapshot: &Snapshot, node: u32) -> Vec<u32> {
    let link_from = |at: u32, name: Option<&str>| {
        snapshot.edges_from(at).find_map(|(edge, to)| {
            let linked = to != at
                && snapshot.edge_kind(edge) == EdgeKind::Property
                && snapshot.dominator(to) == at
                && snapshot.class_name(to) == snapshot.class_name(at);
            let named = snapshot.edge_name(edge);
            (linked && name.is_none_or(|n| n == named)).then_some((to, named))
        })
    };
    let Some((mut at, name)) = link_from(node, None) else {
        return Vec::new();
    };
    let mut rest = vec![at];
    while let Some((next, _)) = link_from(at, Some(&name)) {
        rest.push(next);
        at = next;
    }
    if rest.len() + 1 < MIN_RUN {
        rest.clear();
    }
    rest
}
