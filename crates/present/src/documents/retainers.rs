//! The Retainers pane of one object as a document: its retaining edges (nested `depth` levels),
//! the path DevTools expands towards the GC roots, the dominator chain, ignored retainers.

use crate::json;
use heaptui_engine::{shown_distance, IgnoredRetainers, Retainer, Snapshot};

/// Builds the JSON document for `node` (used by the text output too).
pub fn build(snapshot: &Snapshot, node: u32, depth: usize) -> json::Retainers {
    build_ignoring(snapshot, node, depth, None)
}

/// [`build`] with the retainers in `ignored` ignored.
pub fn build_ignoring(
    snapshot: &Snapshot,
    node: u32,
    depth: usize,
    ignored: Option<&IgnoredRetainers>,
) -> json::Retainers {
    let mut ancestors = vec![snapshot.node_id(node)];
    let mut doc_node = json::Node::of(snapshot, node);
    if ignored.is_some() {
        doc_node.distance_for_retainers_view =
            Some(snapshot.retainers_view_distance(ignored, node));
    }
    let is_ignored = |n: u32| ignored.is_some_and(|v| v.is_ignored(n));
    json::Retainers {
        node: doc_node,
        retainers: expand(snapshot, ignored, node, depth, &mut ancestors),
        path_to_root: snapshot
            .auto_expanded_chain_ignoring(ignored, node)
            .iter()
            .map(|step| json::PathStep {
                edge_type: snapshot.edge_type_name(step.retainer.edge).to_string(),
                edge_name: snapshot.edge_name(step.retainer.edge),
                id: snapshot.node_id(step.retainer.node),
                name: snapshot.display_name(step.retainer.node),
                class_name: snapshot.class_name(step.retainer.node).to_string(),
                distance: shown_distance(step.retainer.distance),
                ignored: is_ignored(step.retainer.node),
            })
            .collect(),
        dominator_chain: snapshot.dominator_chain(node)[1..]
            .iter()
            .map(|&n| snapshot.node_id(n))
            .collect(),
        ignored_ids: ignored.map_or_else(Vec::new, |v| {
            v.ignored().iter().map(|&n| snapshot.node_id(n)).collect()
        }),
    }
}

fn expand(
    snapshot: &Snapshot,
    ignored: Option<&IgnoredRetainers>,
    node: u32,
    depth: usize,
    ancestors: &mut Vec<u32>,
) -> Vec<json::RetainerEdge> {
    snapshot
        .retainers_ignoring(ignored, node)
        .iter()
        .map(|r| edge_json(snapshot, ignored, r, depth, ancestors))
        .collect()
}

fn edge_json(
    snapshot: &Snapshot,
    ignored: Option<&IgnoredRetainers>,
    r: &Retainer,
    depth: usize,
    ancestors: &mut Vec<u32>,
) -> json::RetainerEdge {
    let id = snapshot.node_id(r.node);
    let cycled = depth > 1 && ancestors.contains(&id);
    let retainers = if depth > 1 && !cycled {
        ancestors.push(id);
        let nested = expand(snapshot, ignored, r.node, depth - 1, ancestors);
        ancestors.pop();
        Some(nested)
    } else {
        None
    };
    json::RetainerEdge {
        edge_type: snapshot.edge_type_name(r.edge).to_string(),
        edge_name: snapshot.edge_name(r.edge),
        retainer: json::RetainerNode {
            id,
            name: snapshot.display_name(r.node),
            class_name: snapshot.class_name(r.node).to_string(),
            distance: shown_distance(r.distance),
            self_size: snapshot.self_size(r.node),
            retained_size: snapshot.retained_size(r.node),
            retainers,
            cycled_with_ancestor: cycled,
            ignored: ignored.is_some_and(|v| v.is_ignored(r.node)),
        },
    }
}
