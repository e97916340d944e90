//! `heaptui summary`: DevTools' Summary view.

use super::{format, json, load, print, Format, LoadFlags};
use crate::analysis::aggregates::Aggregate;
use crate::error::Result;
use std::borrow::{Borrow, Cow};
use std::cmp::Ordering;
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
    #[arg(long, value_enum, default_value_t = SortColumn::Retained)]
    pub sort: SortColumn,
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

/// Summary columns.
#[derive(clap::ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
#[allow(missing_docs)]
pub enum SortColumn {
    Name,
    Distance,
    Count,
    Shallow,
    Retained,
}

/// Sorts Summary rows like the view: the column, then name ascending.
pub fn sort<R: Borrow<Aggregate>>(rows: &mut [R], column: SortColumn, reverse: bool) {
    super::sort_rows(
        rows,
        |row| &row.borrow().name,
        reverse,
        |a, b| {
            let (a, b): (&Aggregate, &Aggregate) = (a.borrow(), b.borrow());
            match column {
                SortColumn::Name => Ordering::Equal,
                SortColumn::Distance => a.distance.cmp(&b.distance),
                SortColumn::Count => b.count.cmp(&a.count),
                SortColumn::Shallow => b.shallow_size.cmp(&a.shallow_size),
                SortColumn::Retained => b.retained_size.cmp(&a.retained_size),
            }
        },
    );
}

/// True when `name` passes the class filter (case-insensitive substring).
pub fn matches(name: &str, filter: Option<&str>) -> bool {
    filter.is_none_or(|f| name.to_lowercase().contains(&f.to_lowercase()))
}

/// Runs the command.
pub fn run(args: &Args, flags: &LoadFlags) -> Result<i32> {
    let (snapshot, range) = match &args.allocated_between {
        Some(earlier) => {
            let mut loaded = super::load_all(&[&earlier[0], &earlier[1], &args.snapshot], flags)?;
            let snapshot = loaded.pop().expect("three snapshots");
            let range = json::IdRange {
                after_id: loaded[0].max_js_object_id(),
                up_to_id: loaded[1].max_js_object_id(),
            };
            (snapshot, Some(range))
        }
        None => (load(&args.snapshot, flags)?, None),
    };
    let started = std::time::Instant::now();
    let all = match &range {
        Some(r) => Cow::Owned(snapshot.summary_filtered(&|node| {
            let id = snapshot.graph.node_id[node as usize];
            r.after_id < id && id <= r.up_to_id
        })),
        None => Cow::Borrowed(snapshot.summary()),
    };
    // The unfiltered Summary comes with the analysis; only a filtered one is aggregated here.
    if flags.timings && range.is_some() {
        eprintln!(
            "  {:<45} {:>8.3} s",
            "summary of the filtered objects",
            started.elapsed().as_secs_f64()
        );
    }
    let total_count = all.iter().map(|r| r.count).sum();
    let total_size = all.iter().map(|r| r.shallow_size).sum();
    let mut rows: Vec<&Aggregate> = all
        .iter()
        .filter(|r| matches(&r.name, args.filter.as_deref()))
        .collect();
    sort(&mut rows, args.sort, args.reverse);
    rows.truncate(args.top.unwrap_or(usize::MAX));
    let file = args.snapshot.display().to_string();
    match Format::pick(args.format, args.json) {
        Format::Json => {}
        Format::Markdown => return print(&super::markdown::summary(&snapshot, &rows)),
        Format::Text => {
            let name = crate::error::input_name(&args.snapshot);
            return print(&text(&snapshot, &name, &rows, total_count, total_size));
        }
    }
    {
        let out = json::Summary {
            file,
            node_count: snapshot.node_count(),
            edge_count: snapshot.edge_count(),
            total_size: snapshot.total_size(),
            filter_total_count: total_count,
            filter_total_size: total_size,
            statistics: snapshot.analysis.statistics.clone(),
            allocated_between: range,
            classes: rows
                .iter()
                .map(|&row| json::SummaryClass::from(row))
                .collect(),
        };
        print(&(crate::sanitize::to_json(&out) + "\n"))
    }
}

fn text(
    snapshot: &crate::Snapshot,
    file: &str,
    rows: &[&Aggregate],
    total_count: u64,
    total_size: u64,
) -> String {
    let mut text = format!(
        "{}: {} nodes, {} edges, total {}\n",
        crate::sanitize::sanitize(file),
        format::count(snapshot.node_count() as u64),
        format::count(snapshot.edge_count() as u64),
        format::bytes(snapshot.total_size())
    );
    text.push_str(&format!(
        "{:<48} {:>9} {:>10} {:>12} {:>14}\n",
        "Constructor", "Distance", "Count", "Shallow", "Retained"
    ));
    let total = snapshot.total_size().max(1) as f64;
    for r in rows {
        let name = format::truncate(&crate::sanitize::sanitize(&r.name), 48);
        text.push_str(&format!(
            "{:<48} {:>9} {:>10} {:>12} {:>8} {:>4.0}%\n",
            name,
            format::distance(crate::snapshot::shown_distance(r.distance)),
            format::count(r.count),
            format::bytes(r.shallow_size),
            format::bytes(r.retained_size),
            100.0 * r.retained_size as f64 / total
        ));
    }
    text.push_str(&format!(
        "Total: {} objects, {}\n",
        format::count(total_count),
        format::bytes(total_size)
    ));
    text
}
