//! What one object holds as a document: its edges in DevTools' order, nested `depth` levels.

use crate::json::{self, Location};
use crate::json_views::{ContentEdge, ContentNode, Show};
use heaptui_engine::Snapshot;

/// Builds the document for `node`, `depth` levels deep.
pub fn build(snapshot: &Snapshot, node: u32, depth: usize, all: bool) -> Show {
    let mut ancestors = vec![snapshot.node_id(node)];
    Show {
        node: json::Node::of(snapshot, node),
        edges: expand(snapshot, node, depth, all, &mut ancestors),
    }
}

fn expand(
    snapshot: &Snapshot,
    node: u32,
    depth: usize,
    all: bool,
    ancestors: &mut Vec<u32>,
) -> Vec<ContentEdge> {
    snapshot
        .contents(node, all)
        .into_iter()
        .map(|c| {
            let id = snapshot.node_id(c.node);
            let cycled = depth > 1 && ancestors.contains(&id);
            let edges = (depth > 1 && !cycled).then(|| {
                ancestors.push(id);
                let nested = expand(snapshot, c.node, depth - 1, all, ancestors);
                ancestors.pop();
                nested
            });
            ContentEdge {
                edge_type: snapshot.edge_type_name(c.edge).to_string(),
                edge_name: snapshot.edge_name(c.edge),
                node: ContentNode {
                    edges,
                    cycled_with_ancestor: cycled,
                    ..content_node(snapshot, c.node)
                },
            }
        })
        .collect()
}

/// An object as the contents list it (without nested contents).
pub fn content_node(snapshot: &Snapshot, node: u32) -> ContentNode {
    ContentNode {
        ordinal: node,
        id: snapshot.node_id(node),
        name: snapshot.display_name(node),
        class_name: snapshot.class_name(node).to_string(),
        node_type: snapshot.type_name(node).to_string(),
        self_size: snapshot.self_size(node),
        retained_size: snapshot.retained_size(node),
        distance: snapshot.shown_distance(node),
        value: snapshot.number_value(node),
        location: snapshot
            .source_location(node)
            .map(|l| Location::of(snapshot, l.location)),
        detached_dom_node: snapshot.is_detached_dom_node(node),
        edges: None,
        cycled_with_ancestor: false,
    }
}
