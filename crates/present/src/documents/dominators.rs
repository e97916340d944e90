//! The dominator tree below one object as a document: each node's immediately dominated
//! objects, largest retained size first, with their share of the total.

use crate::json_views::{DominatorNode, Dominators};
use heaptui_engine::Snapshot;

/// Builds the tree below `top`, `depth` levels deep, `limit` children per node: one scan of
/// the dominators per level.
pub fn build(snapshot: &Snapshot, top: u32, depth: usize, limit: usize) -> Dominators {
    let mut root = node_doc(snapshot, top, 0);
    let mut level: Vec<(Vec<usize>, u32)> = vec![(Vec::new(), top)];
    for _ in 0..depth {
        if level.is_empty() {
            break;
        }
        let parents: Vec<u32> = level.iter().map(|&(_, n)| n).collect();
        let lists = snapshot.dominated(&parents);
        let mut next = Vec::new();
        for ((path, _), children) in level.iter().zip(lists) {
            let target = at_path(&mut root, path);
            target.child_count = children.len();
            let shown: Vec<u32> = children.into_iter().take(limit).collect();
            target.children = Some(shown.iter().map(|&c| node_doc(snapshot, c, 0)).collect());
            for (i, &child) in shown.iter().enumerate() {
                let mut child_path = path.clone();
                child_path.push(i);
                next.push((child_path, child));
            }
        }
        level = next;
    }
    // The nodes of the last level were listed without counting their children.
    if !level.is_empty() {
        let parents: Vec<u32> = level.iter().map(|&(_, n)| n).collect();
        for ((path, _), children) in level.iter().zip(snapshot.dominated(&parents)) {
            at_path(&mut root, path).child_count = children.len();
        }
    }
    Dominators {
        file: snapshot.path().display().to_string(),
        total_size: snapshot.total_size(),
        node: root,
        dominator_chain: snapshot.dominator_chain(top)[1..]
            .iter()
            .map(|&n| snapshot.node_id(n))
            .collect(),
    }
}

fn at_path<'a>(mut node: &'a mut DominatorNode, path: &[usize]) -> &'a mut DominatorNode {
    for &i in path {
        node = &mut node.children.as_mut().expect("listed level")[i];
    }
    node
}

fn node_doc(snapshot: &Snapshot, node: u32, child_count: usize) -> DominatorNode {
    let retained = snapshot.retained_size(node);
    DominatorNode {
        ordinal: node,
        id: snapshot.node_id(node),
        name: snapshot.display_name(node),
        class_name: snapshot.class_name(node).to_string(),
        node_type: snapshot.type_name(node).to_string(),
        self_size: snapshot.self_size(node),
        retained_size: retained,
        retained_percent: (snapshot.retained_percent(retained) * 100.0).round() / 100.0,
        distance: snapshot.shown_distance(node),
        child_count,
        children: None,
    }
}
