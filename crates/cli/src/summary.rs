//! `heaptui summary`: DevTools' Summary view.

use super::{json_line, load, load_all, markdown, print, Format, Loading, Output};
use heaptui_common::error::Error;
use heaptui_common::error::Result;
use heaptui_common::util::input_name;
use heaptui_common::util::sanitize::sanitize;
use heaptui_engine::{
    shown_distance, Aggregate, DuplicateStrings, NamedFilter, ObjectFilter, Snapshot,
};
use heaptui_present::documents::summary as document;
use heaptui_present::presets::{self, Preset, PresetMisuse};
use heaptui_present::sort::SummarySort;
use heaptui_present::totals::SummaryTotals;
use heaptui_present::{format, objects};
use std::path::PathBuf;

/// Arguments of `heaptui summary`.
#[derive(clap::Args, Debug)]
pub struct Args {
    /// The snapshot.
    pub snapshot: PathBuf,
    /// `--json` or `--format`.
    #[command(flatten)]
    pub output: Output,
    /// Keep classes whose name contains TEXT (case-insensitive, like DevTools' class filter).
    #[arg(long, value_name = "TEXT")]
    pub filter: Option<String>,
    /// Sort by this column (descending for sizes and counts, ascending for name and distance).
    #[arg(long, value_enum, default_value_t = SummarySort::Retained)]
    pub sort: SummarySort,
    /// Reverse the sort order.
    #[arg(long)]
    pub reverse: bool,
    /// Print only the first N rows.
    #[arg(long, value_name = "N")]
    pub top: Option<usize>,
    /// Keep only objects allocated between two earlier snapshots S1 and S2 (of the same
    /// process) that are still alive in this one: the three-snapshot technique.
    #[arg(long, num_args = 2, value_names = ["S1", "S2"], conflicts_with = "preset")]
    pub allocated_between: Option<Vec<PathBuf>>,
    /// One of DevTools' Summary filters: `allocated-before` (objects allocated before S1, or
    /// before this snapshot), `allocated-between` (between S1 and S2, or S1 and this one),
    /// or a named filter.
    #[arg(long, value_enum, value_name = "NAME")]
    pub preset: Option<Preset>,
    /// The earlier snapshot(s) of the same process the allocated-before/between presets
    /// are relative to.
    #[arg(long, num_args = 1..=2, value_names = ["S1", "S2"], requires = "preset")]
    pub earlier: Option<Vec<PathBuf>>,
    /// A DevTools named filter by its own name: the presets' (`duplicatedStrings`,
    /// `objectsRetainedByContexts`, …), `sharedNativeContext`, `noNativeContext` or
    /// `nativeContext_<nodeIndex>` (one realm's objects; `heaptui realms` lists them).
    #[arg(long, value_name = "NAME", conflicts_with_all = ["preset", "allocated_between"])]
    pub named_filter: Option<String>,
}

/// The filter `--named-filter` names, or a usage error listing the names.
fn named_filter(name: &str) -> Result<ObjectFilter> {
    NamedFilter::from_devtools_name(name)
        .map(ObjectFilter::Named)
        .ok_or_else(|| {
            let names: Vec<String> = NamedFilter::FIXED.iter().map(|f| f.devtools_name()).collect();
            Error::usage(format!(
                "--named-filter {}: not a DevTools filter (one of {}, or nativeContext_<nodeIndex>)",
                sanitize(name),
                names.join(", ")
            ))
        })
}

/// The rows' filter: `--allocated-between`, or the preset with its earlier snapshots
/// (`loaded` are the earlier snapshots, then the summarised one).
fn object_filter(args: &Args, loaded: &[Snapshot]) -> Result<Option<ObjectFilter>> {
    let (earlier, this) = loaded.split_at(loaded.len() - 1);
    let this = &this[0];
    if args.allocated_between.is_some() {
        return Ok(Some(presets::allocated(Some(&earlier[0]), &earlier[1])));
    }
    if let Some(name) = &args.named_filter {
        return named_filter(name).map(Some);
    }
    presets::object_filter(args.preset, earlier, this).map_err(|misuse| {
        Error::usage(match misuse {
            PresetMisuse::NeedsEarlier => "--preset allocated-between needs --earlier S1 [S2]",
            PresetMisuse::EarlierNotTaken => {
                "--preset takes --earlier only with allocated-before (S1) or allocated-between (S1 [S2])"
            }
        })
    })
}

/// Runs the command.
pub fn run(args: &Args, loading: &Loading) -> Result<i32> {
    let earlier: Vec<&PathBuf> = args
        .allocated_between
        .iter()
        .chain(&args.earlier)
        .flatten()
        .collect();
    let mut loaded = if earlier.is_empty() {
        vec![load(&args.snapshot, loading)?]
    } else {
        let mut paths: Vec<&std::path::Path> = earlier.iter().map(|p| p.as_path()).collect();
        paths.push(&args.snapshot);
        load_all(&paths, loading)?
    };
    let filter = object_filter(args, &loaded)?;
    let snapshot = loaded.pop().expect("the summarised snapshot");
    let started = std::time::Instant::now();
    let (all, duplicates) = document::rows(&snapshot, filter, args.preset);
    // The unfiltered Summary comes with the analysis; only a filtered one is aggregated here.
    if loading.timings && filter.is_some() {
        eprintln!(
            "  {:<45} {:>8.3} s",
            "summary of the filtered objects",
            started.elapsed().as_secs_f64()
        );
    }
    let query = document::Query {
        filter: args.filter.as_deref(),
        sort: args.sort,
        reverse: args.reverse,
        top: args.top,
    };
    let rows = document::select(&all, &query);
    match args.output.format() {
        Format::Markdown => print(&markdown::summary(&snapshot, &rows)),
        Format::Text => {
            let mut out = String::new();
            if let Some(preset) = args.preset {
                out.push_str(&format!("preset: {}\n", preset.title()));
            }
            if let Some(name) = &args.named_filter {
                out.push_str(&format!("filter: {}\n", sanitize(name)));
            }
            if let Some(d) = &duplicates {
                out.push_str(&duplicates_text(&snapshot, d));
            }
            let totals = SummaryTotals::of(all.iter());
            out.push_str(&text(&snapshot, &input_name(&args.snapshot), &rows, totals));
            print(&out)
        }
        Format::Json => print(&json_line(&document::document(
            &snapshot,
            args.snapshot.display().to_string(),
            &all,
            &rows,
            filter,
            args.preset,
            duplicates.as_ref(),
        ))),
    }
}

fn duplicates_text(snapshot: &Snapshot, d: &DuplicateStrings) -> String {
    let mut out = format!(
        "{} duplicated values · {} wasted by copies\n",
        format::count(d.groups.len() as u64),
        format::bytes(d.wasted)
    );
    for g in d.groups.iter().take(document::DUPLICATES_LISTED) {
        out.push_str(&format!(
            "  {:<50} ×{:<6} {:>9} wasted\n",
            sanitize(&format::truncate(
                &objects::value(snapshot, g.first, 48),
                50
            )),
            format::count(g.count),
            format::bytes(g.wasted())
        ));
    }
    out.push('\n');
    out
}

fn text(snapshot: &Snapshot, file: &str, rows: &[&Aggregate], totals: SummaryTotals) -> String {
    let mut text = format!(
        "{}: {} nodes, {} edges, total {}\n",
        sanitize(file),
        format::count(snapshot.node_count() as u64),
        format::count(snapshot.edge_count() as u64),
        format::bytes(snapshot.total_size())
    );
    text.push_str(&format!(
        "{:<48} {:>9} {:>10} {:>12} {:>14}\n",
        "Constructor", "Distance", "Count", "Shallow", "Retained"
    ));
    for r in rows {
        text.push_str(&format!(
            "{:<48} {:>9} {:>10} {:>12} {:>8} {:>4.0}%\n",
            format::truncate(&sanitize(&r.name), 48),
            format::distance(shown_distance(r.distance)),
            format::count(r.count),
            format::bytes(r.shallow_size),
            format::bytes(r.retained_size),
            snapshot.retained_percent(r.retained_size)
        ));
    }
    text.push_str(&format!(
        "Total: {} objects, {}\n",
        format::count(totals.objects),
        format::bytes(totals.shallow_size)
    ));
    text
}
