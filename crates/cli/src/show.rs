//! `heaptui show`: what one object holds, as DevTools lists it when the object is expanded:
//! its edges in DevTools' order, each object's value, nested `--depth` levels deep.

use super::json::Location;
use super::json_views::{ContentEdge, ContentNode, Show};
use super::retainers::parse_id;
use super::{json, json_line, load, print, Loading};
use heaptui_common::error::{Error, Result};
use heaptui_common::util::sanitize::sanitize;
use heaptui_engine::Snapshot;
use heaptui_present::{format, labels, objects};
use std::path::PathBuf;

/// Arguments of `heaptui show`.
#[derive(clap::Args, Debug)]
pub struct Args {
    /// The snapshot.
    pub snapshot: PathBuf,
    /// The object id, as `@123` or `123`.
    pub id: String,
    /// Print JSON.
    #[arg(long)]
    pub json: bool,
    /// Expand the contents this many levels deep (1 lists the object's own edges only).
    #[arg(long, default_value_t = 1, value_name = "N")]
    pub depth: usize,
    /// Also list the edges DevTools hides (`invisible` ones).
    #[arg(long)]
    pub all: bool,
}

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

/// Runs the command.
pub fn run(args: &Args, loading: &Loading) -> Result<i32> {
    let id = parse_id(&args.id)?;
    let snapshot = load(&args.snapshot, loading)?;
    let node = snapshot
        .node_for_id(id)
        .ok_or_else(|| Error::NoSuchObject { file: None, id }.in_file(&args.snapshot))?;
    let doc = build(&snapshot, node, args.depth.max(1), args.all);
    if args.json {
        return print(&json_line(&doc));
    }
    let mut text = format!(
        "{} @{}  ({})  distance {}  self {}  retained {}",
        sanitize(&format::truncate(&objects::value(&snapshot, node, 80), 80)),
        doc.node.id,
        sanitize(&doc.node.class_name),
        format::distance(doc.node.distance),
        format::bytes(doc.node.self_size),
        format::bytes(doc.node.retained_size),
    );
    if let Some(location) = snapshot.source_location(node) {
        text.push_str(&format!(
            "  at {}",
            sanitize(&labels::source_location(&location))
        ));
    }
    text.push_str("\n\n");
    lines(&snapshot, &mut text, &doc.edges, 2);
    print(&text)
}

fn lines(snapshot: &Snapshot, text: &mut String, edges: &[ContentEdge], indent: usize) {
    for e in edges {
        let n = &e.node;
        let value = objects::value(snapshot, n.ordinal, 60);
        text.push_str(&format!(
            "{:indent$}{} :: {} @{}  distance {}  self {}  retained {}{}\n",
            "",
            sanitize(&labels::edge(&e.edge_type, &e.edge_name)),
            sanitize(&format::truncate(&value, 60)),
            n.id,
            format::distance(n.distance),
            format::bytes(n.self_size),
            format::bytes(n.retained_size),
            if n.cycled_with_ancestor {
                "  (cycle)"
            } else {
                ""
            },
            indent = indent
        ));
        if let Some(nested) = &n.edges {
            lines(snapshot, text, nested, indent + 2);
        }
    }
}
