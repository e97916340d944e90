//! `heaptui dominators`: the dominator tree from the root, or what one object keeps alive
//! (`@ID`): each node's immediately dominated objects, largest retained size first, with
//! their share of the total.

use super::json_views::DominatorNode;
use super::retainers::parse_id;
use super::{json_line, load, print, Loading};
use heaptui_common::error::{Error, Result};
use heaptui_common::util::sanitize::sanitize;
use heaptui_engine::Snapshot;
use heaptui_present::{format, objects};
use std::path::PathBuf;

/// Arguments of `heaptui dominators`.
#[derive(clap::Args, Debug)]
pub struct Args {
    /// The snapshot.
    pub snapshot: PathBuf,
    /// The object whose dominator subtree to list (`@123`); the root when left out.
    pub id: Option<String>,
    /// Print JSON.
    #[arg(long)]
    pub json: bool,
    /// List this many levels of the tree below the top.
    #[arg(long, default_value_t = 1, value_name = "N")]
    pub depth: usize,
    /// List at most N children of each node (largest first).
    #[arg(long, default_value_t = 20, value_name = "N")]
    pub top: usize,
}

pub use heaptui_present::documents::dominators::build;

/// Runs the command.
pub fn run(args: &Args, loading: &Loading) -> Result<i32> {
    let id = args.id.as_deref().map(parse_id).transpose()?;
    let snapshot = load(&args.snapshot, loading)?;
    let top = match id {
        Some(id) => snapshot
            .node_for_id(id)
            .ok_or_else(|| Error::NoSuchObject { file: None, id }.in_file(&args.snapshot))?,
        None => snapshot.root(),
    };
    let doc = build(&snapshot, top, args.depth, args.top);
    if args.json {
        return print(&json_line(&doc));
    }
    let mut text = String::new();
    line(&snapshot, &mut text, &doc.node, 0);
    print(&text)
}

/// The text tree: one line per node, `  1.2 MB  12%  Name @id  (Class)`.
fn line(snapshot: &Snapshot, text: &mut String, n: &DominatorNode, indent: usize) {
    text.push_str(&format!(
        "{:indent$}{:>9} {:>5.1}%  {} @{}  ({}){}\n",
        "",
        format::bytes(n.retained_size),
        n.retained_percent,
        sanitize(&format::truncate(
            &objects::value(snapshot, n.ordinal, 60),
            60
        )),
        n.id,
        sanitize(&n.class_name),
        match (&n.children, n.child_count) {
            (None, c) if c > 0 => format!("  {} dominated", format::count(c as u64)),
            (Some(list), c) if c > list.len() => format!("  … {} more", c - list.len()),
            _ => String::new(),
        },
        indent = indent
    ));
    for child in n.children.iter().flatten() {
        line(snapshot, text, child, indent + 2);
    }
}
