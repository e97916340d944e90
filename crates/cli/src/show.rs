//! `heaptui show`: what one object holds, as DevTools lists it when the object is expanded:
//! its edges in DevTools' order, each object's value, nested `--depth` levels deep.

use super::json_views::ContentEdge;
use super::retainers::parse_id;
use super::{json_line, load, print, Loading};
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

pub use heaptui_present::documents::show::{build, content_node};

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
