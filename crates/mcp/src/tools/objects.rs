//! The object tools: `retainers` (what holds an object, and its path to the GC roots, with
//! ignored retainers), `show` (what an object holds) and `dominators` (what it keeps alive).
//! Every object comes with its id, to pass to the next call.

use super::{blocking, depth, node, Call};
use crate::answer::{paged, to_value, Answer, Page, ToolResult};
use crate::safety::quoted;
use heaptui_present::documents::show as show_doc;
use heaptui_present::documents::{dominators as dominators_doc, retainers as retainers_doc};
use heaptui_present::{format, labels};
use rmcp::schemars::{self, JsonSchema};
use serde::Deserialize;
use serde_json::Value;

/// Retainers per page by default: the Retainers pane's first rows are the shortest paths.
const DEFAULT_RETAINERS: usize = 10;
/// Edges of an object's contents per page by default, largest retained size first.
const DEFAULT_EDGES: usize = 20;
/// Dominated objects listed per node by default, largest first.
const DEFAULT_CHILDREN: usize = 10;
/// The most items one page may carry.
const MAX_ITEMS: usize = 100;
/// The deepest nesting asked for: each level multiplies the answer by the page size.
const MAX_DEPTH: usize = 3;

/// Arguments of `retainers`.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RetainersArgs {
    /// The snapshot's handle.
    pub handle: String,
    /// The object's id (the `id` fields of other answers; `@123` in the CLI).
    pub id: u32,
    /// Ids of retainers to ignore, as DevTools' "Ignore this retainer": distances and the
    /// path to the roots are recomputed as if nothing pointed at them.
    pub ignore: Option<Vec<u32>>,
    /// Levels of retainers of retainers (default 1, at most 3).
    pub depth: Option<usize>,
    /// Retainers per page (default 10, at most 100); nested levels list as many.
    pub limit: Option<usize>,
    /// The first retainer to show.
    pub offset: Option<usize>,
}

/// Arguments of `show`.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ShowArgs {
    /// The snapshot's handle.
    pub handle: String,
    /// The object's id.
    pub id: u32,
    /// List the edges DevTools hides too (internal, weak).
    pub all: Option<bool>,
    /// Levels of contents (default 1, at most 3).
    pub depth: Option<usize>,
    /// Edges per page (default 20, at most 100); nested levels list as many.
    pub limit: Option<usize>,
    /// The first edge to show.
    pub offset: Option<usize>,
}

/// Arguments of `dominators`.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct DominatorsArgs {
    /// The snapshot's handle.
    pub handle: String,
    /// The object whose dominated objects to list (default: the root).
    pub id: Option<u32>,
    /// Levels of the tree (default 1, at most 3).
    pub depth: Option<usize>,
    /// Children listed per node, largest retained size first (default 10, at most 100).
    pub limit: Option<usize>,
}

/// Cuts the nested lists under `key` of every item of `items` to `limit`, recursively (the
/// page cuts only the top level).
fn cut_nested(items: &mut Value, outer: &str, inner: &str, limit: usize) {
    for item in items.as_array_mut().into_iter().flatten() {
        if let Some(nested) = item.get_mut(outer).and_then(|n| n.get_mut(inner)) {
            if let Some(list) = nested.as_array_mut() {
                list.truncate(limit);
            }
            cut_nested(nested, outer, inner, limit);
        }
    }
}

/// `retainers`: the Retainers pane of one object and its path to the GC roots.
pub async fn retainers(call: &Call, args: RetainersArgs) -> ToolResult {
    let depth = depth(args.depth, MAX_DEPTH)?;
    let snapshot = call.snapshot(&args.handle).await?;
    let target = node(&snapshot, &args.handle, args.id)?;
    let ignore = args
        .ignore
        .iter()
        .flatten()
        .map(|&id| node(&snapshot, &args.handle, id))
        .collect::<Result<Vec<u32>, _>>()?;
    let doc = blocking(move || {
        let ignored = (!ignore.is_empty()).then(|| snapshot.ignore_retainers(&ignore));
        to_value(&retainers_doc::build_ignoring(
            &snapshot,
            target,
            depth,
            ignored.as_ref(),
        ))
    })
    .await?;
    let total = doc["retainers"].as_array().map_or(0, Vec::len);
    let page = Page::new(args.offset, args.limit, DEFAULT_RETAINERS, MAX_ITEMS, total)?;
    let mut doc = paged(doc, "retainers", &page);
    cut_nested(&mut doc["retainers"], "retainer", "retainers", page.limit);
    let n = &doc["node"];
    let mut text = format!(
        "{} @{} {} ({})  distance {}  retained {}; {} retainers\n",
        args.handle,
        args.id,
        quoted(n["name"].as_str().unwrap_or_default()),
        quoted(n["className"].as_str().unwrap_or_default()),
        format::distance(n["distance"].as_i64().map(|d| d as i32)),
        format::bytes(n["retainedSize"].as_u64().unwrap_or(0)),
        total
    );
    for e in doc["retainers"].as_array().into_iter().flatten() {
        let r = &e["retainer"];
        text.push_str(&format!(
            "  {} in {} @{}  distance {}{}\n",
            quoted(&labels::edge(
                e["edgeType"].as_str().unwrap_or_default(),
                e["edgeName"].as_str().unwrap_or_default()
            )),
            quoted(r["name"].as_str().unwrap_or_default()),
            r["id"],
            format::distance(r["distance"].as_i64().map(|d| d as i32)),
            if r["ignored"] == true {
                " (ignored)"
            } else {
                ""
            }
        ));
    }
    text.push_str(&page.note("retainers"));
    text.push_str("path to the GC roots:");
    for step in doc["pathToRoot"].as_array().into_iter().flatten() {
        text.push_str(&format!(
            " ← {} in {} @{}",
            quoted(&labels::edge(
                step["edgeType"].as_str().unwrap_or_default(),
                step["edgeName"].as_str().unwrap_or_default()
            )),
            quoted(step["name"].as_str().unwrap_or_default()),
            step["id"]
        ));
    }
    text.push('\n');
    Ok(Answer {
        structured: doc,
        text,
    })
}

/// `show`: what one object holds, its edges in DevTools' order.
pub async fn show(call: &Call, args: ShowArgs) -> ToolResult {
    let depth = depth(args.depth, MAX_DEPTH)?;
    let snapshot = call.snapshot(&args.handle).await?;
    let target = node(&snapshot, &args.handle, args.id)?;
    let all = args.all.unwrap_or(false);
    let doc = blocking(move || to_value(&show_doc::build(&snapshot, target, depth, all))).await?;
    let total = doc["edges"].as_array().map_or(0, Vec::len);
    let page = Page::new(args.offset, args.limit, DEFAULT_EDGES, MAX_ITEMS, total)?;
    let mut doc = paged(doc, "edges", &page);
    cut_nested(&mut doc["edges"], "node", "edges", page.limit);
    let n = &doc["node"];
    let mut text = format!(
        "{} @{} {} ({})  retained {}; {} edges\n",
        args.handle,
        args.id,
        quoted(n["name"].as_str().unwrap_or_default()),
        quoted(n["className"].as_str().unwrap_or_default()),
        format::bytes(n["retainedSize"].as_u64().unwrap_or(0)),
        total
    );
    for e in doc["edges"].as_array().into_iter().flatten() {
        let t = &e["node"];
        text.push_str(&format!(
            "  {} :: {} @{}  retained {}\n",
            quoted(&labels::edge(
                e["edgeType"].as_str().unwrap_or_default(),
                e["edgeName"].as_str().unwrap_or_default()
            )),
            quoted(t["name"].as_str().unwrap_or_default()),
            t["id"],
            format::bytes(t["retainedSize"].as_u64().unwrap_or(0)),
        ));
    }
    text.push_str(&page.note("show"));
    Ok(Answer {
        structured: doc,
        text,
    })
}

/// `dominators`: the dominator tree below the root or one object.
pub async fn dominators(call: &Call, args: DominatorsArgs) -> ToolResult {
    let depth = depth(args.depth, MAX_DEPTH)?;
    let limit = Page::new(None, args.limit, DEFAULT_CHILDREN, MAX_ITEMS, 0)?.limit;
    let snapshot = call.snapshot(&args.handle).await?;
    let top = match args.id {
        Some(id) => node(&snapshot, &args.handle, id)?,
        None => snapshot.root(),
    };
    let doc =
        blocking(move || to_value(&dominators_doc::build(&snapshot, top, depth, limit))).await?;
    let n = &doc["node"];
    let mut text = format!(
        "{} {} @{} retains {} ({}%); it immediately dominates {} objects\n",
        args.handle,
        quoted(n["name"].as_str().unwrap_or_default()),
        n["id"],
        format::bytes(n["retainedSize"].as_u64().unwrap_or(0)),
        n["retainedPercent"],
        n["childCount"]
    );
    for c in n["children"].as_array().into_iter().flatten() {
        text.push_str(&format!(
            "  {:>9} {:>6}%  {} @{}  ({})\n",
            format::bytes(c["retainedSize"].as_u64().unwrap_or(0)),
            c["retainedPercent"],
            quoted(c["name"].as_str().unwrap_or_default()),
            c["id"],
            quoted(c["className"].as_str().unwrap_or_default()),
        ));
    }
    Ok(Answer {
        structured: doc,
        text,
    })
}
