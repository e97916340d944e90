//! `heaptui query`: the objects that pass filters (class, type, a property and its value,
//! size and distance ranges, DOM state, new since an earlier snapshot, reachable from an
//! object), with their count and sizes; and `heaptui what-if`: what releasing objects (given
//! by id, or the same filters) would free, and what would stay alive.

use super::retainers::parse_id;
use super::{json_line, load, load_all, markdown, print, Format, Loading, Output};
use heaptui_common::error::{Error, Result};
use heaptui_common::util::sanitize::sanitize;
use heaptui_engine::Snapshot;
use heaptui_present::format;
use heaptui_present::query::{self, Filters, Query, QueryObject, QuerySort, Scope};
use heaptui_present::query_line::FilterArgs;
use heaptui_present::release::{self, classes_line, WhatIf};
use std::path::{Path, PathBuf};

/// Loads `snapshot` (and the earlier one of `--new-since`) and selects the objects `args`
/// choose.
fn select(args: &FilterArgs, snapshot: &Path, loading: &Loading) -> Result<Selected> {
    let filters = args.filters()?;
    let (snapshot, base) = match &args.new_since {
        None => (load(snapshot, loading)?, None),
        Some(base) => {
            let mut both = load_all(&[base.as_path(), snapshot], loading)?;
            let after = both.pop().expect("two loaded");
            (after, both.pop())
        }
    };
    let from = match &args.from {
        Some(text) => Some(node_of(&snapshot, parse_id(text)?)?),
        None => None,
    };
    let started = std::time::Instant::now();
    let scope = Scope {
        new_since: base.as_ref(),
        from,
    };
    let nodes = query::select(&snapshot, &filters, scope)?;
    Ok(Selected {
        snapshot,
        base,
        filters,
        from,
        nodes,
        started,
    })
}

/// A query's answer with what it was asked on.
struct Selected {
    snapshot: Snapshot,
    base: Option<Snapshot>,
    filters: Filters,
    from: Option<u32>,
    nodes: Vec<u32>,
    /// When the question started, after the loads.
    started: std::time::Instant,
}

impl Selected {
    fn scope(&self) -> Scope<'_> {
        Scope {
            new_since: self.base.as_ref(),
            from: self.from,
        }
    }
}

/// The node of object `id`, or an error naming the file.
fn node_of(snapshot: &Snapshot, id: u32) -> Result<u32> {
    snapshot
        .node_for_id(id)
        .ok_or_else(|| Error::NoSuchObject { file: None, id }.in_file(snapshot.path()))
}

/// Arguments of `heaptui query`.
#[derive(clap::Args, Debug)]
pub struct Args {
    /// The snapshot.
    pub snapshot: PathBuf,
    /// The filters (every one given must pass).
    #[command(flatten)]
    pub filters: FilterArgs,
    /// Order of the objects listed.
    #[arg(long, value_enum, default_value_t = QuerySort::Retained)]
    pub sort: QuerySort,
    /// List at most N objects.
    #[arg(long, default_value_t = 20, value_name = "N")]
    pub top: usize,
    /// `--json` or `--format`.
    #[command(flatten)]
    pub output: Output,
}

/// Runs `heaptui query`.
pub fn run(args: &Args, loading: &Loading) -> Result<i32> {
    let mut selected = select(&args.filters, &args.snapshot, loading)?;
    let mut nodes = std::mem::take(&mut selected.nodes);
    query::sort(&selected.snapshot, &mut nodes, args.sort);
    let doc = Query::new(
        &selected.snapshot,
        &selected.filters,
        selected.scope(),
        &nodes,
        args.top,
    );
    if loading.timings {
        eprintln!(
            "timings of the query (after the load): {} objects in {:.3} s",
            nodes.len(),
            selected.started.elapsed().as_secs_f64()
        );
    }
    match args.output.format() {
        Format::Json => print(&json_line(&doc)),
        Format::Text => print(&query_text(&doc)),
        Format::Markdown => print(&query_markdown(&doc)),
    }
}

fn filters_line(filters: &[String]) -> String {
    if filters.is_empty() {
        "every object".to_string()
    } else {
        sanitize(&filters.join(", ")).into_owned()
    }
}

fn query_text(doc: &Query) -> String {
    let mut out = format!(
        "{}: {} objects ({}), self {}, retained {}\n",
        sanitize(&doc.file),
        format::count(doc.count as u64),
        filters_line(&doc.filters),
        format::bytes(doc.self_size),
        format::bytes(doc.retained_size)
    );
    out += &objects_text(&doc.objects, doc.more);
    if let Some(first) = doc.objects.first() {
        out += &format!(
            "open one: heaptui show {} @{}\n",
            sanitize(&doc.file),
            first.id
        );
    }
    out
}

/// The objects as aligned rows, and how many were left out.
fn objects_text(objects: &[QueryObject], more: usize) -> String {
    let mut out = String::new();
    if !objects.is_empty() {
        out += &format!(
            "{:<12} {:<28} {:<28} {:>8} {:>10} {:>10}\n",
            "Id", "Class", "Name", "Distance", "Self", "Retained"
        );
    }
    for o in objects {
        out += &format!(
            "{:<12} {:<28} {:<28} {:>8} {:>10} {:>10}\n",
            format!("@{}", o.id),
            sanitize(&format::truncate(&o.class_name, 28)),
            sanitize(&format::truncate(&o.name, 28)),
            o.distance.map_or("−".to_string(), |d| d.to_string()),
            format::bytes(o.self_size),
            format::bytes(o.retained_size)
        );
    }
    if more > 0 {
        out += &format!("… {} more (--top)\n", format::count(more as u64));
    }
    out
}

fn objects_markdown(objects: &[QueryObject]) -> String {
    let mut out =
        "| Id | Class | Name | Distance | Self | Retained |\n|---|---|---|---:|---:|---:|\n"
            .to_string();
    for o in objects {
        out += &format!(
            "| @{} | {} | {} | {} | {} | {} |\n",
            o.id,
            markdown::cell(&o.class_name),
            markdown::cell(&format::truncate(&o.name, 40)),
            o.distance.map_or("−".to_string(), |d| d.to_string()),
            format::bytes(o.self_size),
            format::bytes(o.retained_size)
        );
    }
    out
}

fn query_markdown(doc: &Query) -> String {
    let mut out = format!(
        "### Query of {}\n\n{} objects ({}): self {}, retained {}\n\n",
        markdown::cell(&doc.file),
        format::count(doc.count as u64),
        markdown::cell(&filters_line(&doc.filters)),
        format::bytes(doc.self_size),
        format::bytes(doc.retained_size)
    );
    out += &objects_markdown(&doc.objects);
    if doc.more > 0 {
        out += &format!("\n… {} more\n", format::count(doc.more as u64));
    }
    out
}

/// Arguments of `heaptui what-if`.
#[derive(clap::Args, Debug)]
pub struct WhatIfArgs {
    /// The snapshot.
    pub snapshot: PathBuf,
    /// The objects to release (`@123` or `123`); or `--query` with filters.
    #[arg(value_name = "@ID")]
    pub ids: Vec<String>,
    /// Release the objects the filters choose (as `heaptui query` does).
    #[arg(long)]
    pub query: bool,
    /// The filters, with --query.
    #[command(flatten)]
    pub filters: FilterArgs,
    /// List at most N of the released objects.
    #[arg(long, default_value_t = 10, value_name = "N")]
    pub top: usize,
    /// `--json` or `--format`.
    #[command(flatten)]
    pub output: Output,
}

/// Runs `heaptui what-if`.
pub fn run_what_if(args: &WhatIfArgs, loading: &Loading) -> Result<i32> {
    let (snapshot, members, started) = match (args.ids.is_empty(), args.query) {
        (false, false) => {
            let ids = args
                .ids
                .iter()
                .map(|t| parse_id(t))
                .collect::<Result<Vec<_>>>()?;
            let snapshot = load(&args.snapshot, loading)?;
            let started = std::time::Instant::now();
            let members = snapshot
                .nodes_for_ids(&ids)
                .into_iter()
                .zip(&ids)
                .map(|(node, &id)| node.map_or_else(|| node_of(&snapshot, id), Ok))
                .collect::<Result<Vec<_>>>()?;
            (snapshot, members, started)
        }
        (true, true) => {
            let selected = select(&args.filters, &args.snapshot, loading)?;
            (selected.snapshot, selected.nodes, selected.started)
        }
        _ => {
            return Err(Error::usage(
                "what-if takes object ids (@ID…) or --query with filters, one of the two",
            ))
        }
    };
    let mut members = members;
    members.sort_unstable();
    members.dedup();
    if members.contains(&snapshot.root()) {
        return Err(Error::usage(
            "the root cannot be released (it is not an object of the program)",
        ));
    }
    if members.is_empty() {
        return Err(Error::usage("no objects to release: the query chose none"));
    }
    let doc = WhatIf::new(&snapshot, &members, args.top);
    if loading.timings {
        eprintln!(
            "timings of the what-if (after the load): {} objects in {:.3} s",
            members.len(),
            started.elapsed().as_secs_f64()
        );
    }
    match args.output.format() {
        Format::Json => print(&json_line(&doc)),
        Format::Text => print(&what_if_text(&doc)),
        Format::Markdown => print(&what_if_markdown(&doc)),
    }
}

fn what_if_text(doc: &WhatIf) -> String {
    let mut out: String = release::lines(doc)
        .iter()
        .map(|l| format!("{l}\n"))
        .collect();
    out += &objects_text(&doc.members, doc.more);
    out
}

fn what_if_markdown(doc: &WhatIf) -> String {
    let mut out = format!(
        "### What releasing {} objects frees\n\n**{}** ({} objects) in {}; their own retained sizes add up to {}.\n\n",
        format::count(doc.released as u64),
        format::bytes(doc.freed_size),
        format::count(doc.freed_count as u64),
        markdown::cell(&doc.file),
        format::bytes(doc.members_retained_size)
    );
    out += &format!(
        "- freed: {}\n",
        markdown::cell(&classes_line(&doc.freed_classes))
    );
    out += &format!(
        "- still alive though held by them: {} objects ({}) {}\n\n",
        format::count(doc.still_held.count as u64),
        format::bytes(doc.still_held.self_size),
        markdown::cell(&classes_line(&doc.still_held.classes))
    );
    out += &objects_markdown(&doc.members);
    out
}
