//! `heaptui summary`: DevTools' Summary view.

use super::{json, json_line, load, load_all, markdown, print, Format, Loading};
use crate::error::Result;
use crate::present::format;
use crate::present::sort::{self, SummarySort};
use crate::present::totals::SummaryTotals;
use crate::snapshot::{shown_distance, Aggregate, Snapshot};
use crate::util::input_name;
use crate::util::sanitize::sanitize;
use std::borrow::Cow;
use std::path::PathBuf;

/// Arguments of `heaptui summary`.
#[derive(clap::Args, Debug)]
pub struct Args {
    /// The snapshot.
    pub snapshot: PathBuf,
    /// Print JSON (same as `--format json`).
    #[arg(long)]
    pub json: bool,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
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
    #[arg(long, num_args = 2, value_names = ["S1", "S2"])]
    pub allocated_between: Option<Vec<PathBuf>>,
}

/// Runs the command.
pub fn run(args: &Args, loading: &Loading) -> Result<i32> {
    let (snapshot, range) = match &args.allocated_between {
        Some(earlier) => {
            let mut loaded = load_all(&[&earlier[0], &earlier[1], &args.snapshot], loading)?;
            let snapshot = loaded.pop().expect("three snapshots");
            let range = json::IdRange {
                after_id: loaded[0].max_js_object_id(),
                up_to_id: loaded[1].max_js_object_id(),
            };
            (snapshot, Some(range))
        }
        None => (load(&args.snapshot, loading)?, None),
    };
    let started = std::time::Instant::now();
    let all = match &range {
        Some(r) => Cow::Owned(snapshot.summary_allocated_between(r.after_id, r.up_to_id)),
        None => Cow::Borrowed(snapshot.summary()),
    };
    // The unfiltered Summary comes with the analysis; only a filtered one is aggregated here.
    if loading.timings && range.is_some() {
        eprintln!(
            "  {:<45} {:>8.3} s",
            "summary of the filtered objects",
            started.elapsed().as_secs_f64()
        );
    }
    let totals = SummaryTotals::of(all.iter());
    let mut rows: Vec<&Aggregate> = all
        .iter()
        .filter(|r| sort::matches_filter(&r.name, args.filter.as_deref()))
        .collect();
    sort::summary(&mut rows, args.sort, args.reverse);
    rows.truncate(args.top.unwrap_or(usize::MAX));
    let file = args.snapshot.display().to_string();
    match Format::pick(args.format, args.json) {
        Format::Markdown => print(&markdown::summary(&snapshot, &rows)),
        Format::Text => print(&text(&snapshot, &input_name(&args.snapshot), &rows, totals)),
        Format::Json => print(&json_line(&json::Summary {
            file,
            node_count: snapshot.node_count(),
            edge_count: snapshot.edge_count(),
            total_size: snapshot.total_size(),
            filter_total_count: totals.objects,
            filter_total_size: totals.shallow_size,
            statistics: snapshot.statistics().clone(),
            allocated_between: range,
            classes: rows.iter().map(|&row| row.into()).collect(),
        })),
    }
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
