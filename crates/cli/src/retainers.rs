//! `heaptui retainers`: DevTools' Retainers pane for one object, and its path to the GC roots.

use super::{json, json_line, load, print, Loading};
use heaptui_common::error::{Error, Result};
use heaptui_common::util::sanitize::sanitize;
use heaptui_present::{format, labels};
use std::path::PathBuf;

/// Arguments of `heaptui retainers`.
#[derive(clap::Args, Debug)]
pub struct Args {
    /// The snapshot.
    pub snapshot: PathBuf,
    /// The object id, as `@123` or `123`.
    pub id: String,
    /// Print JSON.
    #[arg(long)]
    pub json: bool,
    /// Expand retainers this many levels deep (1 lists the direct retainers only).
    #[arg(long, default_value_t = 1, value_name = "N")]
    pub depth: usize,
    /// Ignore this retainer (`@ID`, repeatable), as DevTools' "Ignore this retainer": the
    /// pane's distances and path to the GC roots are recomputed without it.
    #[arg(long, value_name = "@ID")]
    pub ignore: Vec<String>,
}

/// Parses `@123` or `123`.
pub fn parse_id(text: &str) -> Result<u32> {
    heaptui_present::query_line::object_id(text)
}

pub use heaptui_present::documents::retainers::{build, build_ignoring};

/// Runs the command.
pub fn run(args: &Args, loading: &Loading) -> Result<i32> {
    let id = parse_id(&args.id)?;
    let ignore_ids: Vec<u32> = args
        .ignore
        .iter()
        .map(|t| parse_id(t))
        .collect::<Result<_>>()?;
    let snapshot = load(&args.snapshot, loading)?;
    let node = snapshot
        .node_for_id(id)
        .ok_or_else(|| Error::NoSuchObject { file: None, id }.in_file(&args.snapshot))?;
    let ignore: Vec<u32> = ignore_ids
        .iter()
        .map(|&id| {
            snapshot
                .node_for_id(id)
                .ok_or_else(|| Error::NoSuchObject { file: None, id }.in_file(&args.snapshot))
        })
        .collect::<Result<_>>()?;
    let ignored = (!ignore.is_empty()).then(|| snapshot.ignore_retainers(&ignore));
    let doc = build_ignoring(&snapshot, node, args.depth.max(1), ignored.as_ref());
    if args.json {
        return print(&json_line(&doc));
    }
    let n = &doc.node;
    let mut text = format!(
        "{} @{}  ({})  distance {}  self {}  retained {}  dominator @{}\n\nRetainers:\n",
        sanitize(&format::truncate(&n.name, 80)),
        n.id,
        sanitize(&n.class_name),
        format::distance(n.distance),
        format::bytes(n.self_size),
        format::bytes(n.retained_size),
        n.dominator_id
    );
    fn lines(text: &mut String, edges: &[json::RetainerEdge], indent: usize) {
        for e in edges {
            let r = &e.retainer;
            text.push_str(&format!(
                "{:indent$}{} in {} @{}  distance {}  retained {}{}{}\n",
                "",
                sanitize(&labels::edge(&e.edge_type, &e.edge_name)),
                sanitize(&format::truncate(&r.name, 60)),
                r.id,
                format::distance(r.distance),
                format::bytes(r.retained_size),
                if r.cycled_with_ancestor {
                    "  (cycle)"
                } else {
                    ""
                },
                if r.ignored { "  (ignored)" } else { "" },
                indent = indent
            ));
            if let Some(nested) = &r.retainers {
                lines(text, nested, indent + 2);
            }
        }
    }
    lines(&mut text, &doc.retainers, 2);
    text.push_str("\nPath to GC roots:\n");
    for step in &doc.path_to_root {
        text.push_str(&format!(
            "  {} in {} @{}  distance {}\n",
            sanitize(&labels::edge(&step.edge_type, &step.edge_name)),
            sanitize(&format::truncate(&step.name, 60)),
            step.id,
            format::distance(step.distance)
        ));
    }
    print(&text)
}
