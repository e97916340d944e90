//! Finding the same holder in a snapshot of another process, by the shape of its path.
//!
//! Object ids are comparable only within one V8 isolate; after a restart the same cache,
//! listener array or session store is another object with another id. It is still reached
//! the same way: the same edges (names and kinds) through objects of the same classes. So a
//! holder of the last snapshot is looked for in an earlier one by walking its explanatory path
//! ([`super::explain`]) down from the roots: at each step, an edge of the same kind and name
//! (array indexes may differ: any index, the same one first) to an object of the same class
//! (plain objects, which DevTools names by their properties, match any plain object: a
//! dictionary-mode object such as `process._events` lists its properties in hash order, which
//! differs from run to run).
//! Invariant: the walk is a depth-first search with [`MAX_BRANCHES`] candidates per step and
//! [`MAX_VISITS`] in all, so a path through a huge array cannot make it slow; it returns the
//! first complete match.

use super::explain::Paths;
use heaptui_engine::{EdgeKind, Snapshot};

/// Candidates tried per step (array slots with the same class, say).
const MAX_BRANCHES: usize = 16;
/// Objects tried per holder in all.
const MAX_VISITS: usize = 20_000;

/// One step of a path's shape, from the roots towards the holder.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Step {
    kind: EdgeKind,
    /// The edge name; for array indexes, the index the last snapshot has.
    name: String,
    class_name: String,
}

/// The shape of the path from the roots to `node` in `snapshot`: the root-held object's class,
/// then one step per edge.
fn shape_of(paths: &Paths<'_>, node: u32) -> (String, Vec<Step>) {
    let snapshot = paths.snapshot();
    let path = paths.of(node);
    let mut below: Vec<u32> = path.hops.iter().map(|h| h.node).collect();
    below.insert(0, node);
    // below[i] is retained by below[i + 1] over hops[i].edge.
    let top = *below.last().expect("the node itself");
    let steps = path
        .hops
        .iter()
        .enumerate()
        .rev()
        .map(|(i, hop)| Step {
            kind: snapshot.edge_kind(hop.edge),
            name: snapshot.edge_name(hop.edge),
            class_name: snapshot.class_name(below[i]).to_string(),
        })
        .collect();
    (snapshot.class_name(top).to_string(), steps)
}

/// Each of `points` (holders in the last snapshot, whose paths `last` finds) in `snapshot`,
/// by path shape.
pub fn locate(last: &Paths<'_>, snapshot: &Snapshot, points: &[u32]) -> Vec<Option<u32>> {
    if std::ptr::eq(last.snapshot(), snapshot) {
        return points.iter().map(|&p| Some(p)).collect();
    }
    points
        .iter()
        .map(|&p| {
            let (top_class, steps) = shape_of(last, p);
            find(snapshot, &top_class, &steps)
        })
        .collect()
}

/// The first object of `snapshot` reached along `steps` from a root-held object of class
/// `top_class`.
fn find(snapshot: &Snapshot, top_class: &str, steps: &[Step]) -> Option<u32> {
    let tops: Vec<u32> = snapshot
        .edges_from(snapshot.root())
        .map(|(_, to)| to)
        .filter(|&n| same_class(top_class, snapshot.class_name(n)))
        .collect();
    let mut visits = 0;
    tops.into_iter()
        .find_map(|top| walk(snapshot, top, steps, &mut visits))
}

/// True when an object of class `found` may be the one whose class was `wanted` in another
/// process: the same class, or both plain objects named by their properties (`{a, b, …}`).
fn same_class(wanted: &str, found: &str) -> bool {
    let by_properties = |c: &str| c.starts_with('{');
    wanted == found || (by_properties(wanted) && by_properties(found))
}

/// Array slots and hidden slots are numbered; the numbers differ between runs.
fn is_indexed(kind: EdgeKind) -> bool {
    matches!(kind, EdgeKind::Element | EdgeKind::Hidden)
}

fn walk(snapshot: &Snapshot, at: u32, steps: &[Step], visits: &mut usize) -> Option<u32> {
    *visits += 1;
    let Some((step, rest)) = steps.split_first() else {
        return Some(at);
    };
    if *visits > MAX_VISITS {
        return None;
    }
    let mut candidates: Vec<(bool, u32)> = snapshot
        .edges_from(at)
        .filter(|&(edge, to)| {
            snapshot.edge_kind(edge) == step.kind
                && (is_indexed(step.kind) || snapshot.edge_name(edge) == step.name)
                && same_class(&step.class_name, snapshot.class_name(to))
        })
        .map(|(edge, to)| (snapshot.edge_name(edge) != step.name, to))
        .collect();
    // The same index first, then the others in edge order.
    candidates.sort_by_key(|&(other_index, _)| other_index);
    candidates
        .into_iter()
        .take(MAX_BRANCHES)
        .find_map(|(_, to)| walk(snapshot, to, rest, visits))
}

#[cfg(test)]
mod tests {
    use super::same_class;

    #[test]
    fn plain_objects_match_whatever_order_their_properties_are_named_in() {
        assert!(same_class(
            "{exit, SIGTERM, warning}",
            "{SIGTERM, exit, warning}"
        ));
        assert!(same_class("{exit, SIGTERM, newListen…", "{a}"));
        assert!(same_class("Map", "Map"));
        assert!(!same_class("{exit}", "Map"));
        assert!(!same_class("Array", "Map"));
    }
}
