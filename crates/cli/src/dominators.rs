//! `heaptui dominators`: the dominator tree from the root, or what one object keeps alive
//! (`@ID`): each node's immediately dominated objects, largest retained size first, with
//! their share of the total.

use super::json_views::{DominatorNode, Dominators};
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
