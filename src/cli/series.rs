//! Commands over a series of snapshots: `heaptui trend` (per-class counts and sizes in each
//! snapshot, sustained growth first) and `heaptui suspects` (ranked leak suspects with their
//! dominant retaining path and a hint when they match a known leak pattern).

use super::{format, load_all, print, Format, LoadFlags};
use crate::analysis::aggregates::Aggregate;
use crate::analysis::identity::MatchBy;
use crate::error::{Error, Result};
use crate::graph::Location;
use crate::leaks::patterns::Step;
use crate::leaks::{suspects, trend};
use crate::util::sanitize::sanitize;
use crate::Snapshot;
use serde::Serialize;
use std::path::PathBuf;

/// Arguments of `heaptui trend` and `heaptui suspects`.
#[derive(clap::Args, Debug)]
pub struct Args {
    /// Two or more snapshots, oldest first.
    #[arg(required = true, num_args = 2..)]
    pub snapshots: Vec<PathBuf>,
    /// Print JSON (same as `--format json`).
    #[arg(long)]
    pub json: bool,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
    /// Print only the first N rows.
    #[arg(long, value_name = "N")]
    pub top: Option<usize>,
}

/// A loaded series: the snapshots, the last one's Summary rows, and the per-class trend (every
/// snapshot classified with the last one's interfaces).
struct Series {
    snapshots: Vec<Snapshot>,
    last_rows: Vec<Aggregate>,
    trend: Vec<trend::TrendRow>,
}

fn load_series(args: &Args, flags: &LoadFlags) -> Result<Series> {
    let paths: Vec<&std::path::Path> = args.snapshots.iter().map(PathBuf::as_path).collect();
    let mut snapshots = load_all(&paths, flags)?;
    let last_rows = snapshots
        .last()
        .expect("two or more snapshots")
        .summary()
        .to_vec();
    let trend = trend::trend(&trend::earlier_class_rows(&mut snapshots), &last_rows);
    Ok(Series {
        snapshots,
        last_rows,
        trend,
    })
}

/// `heaptui trend --json`.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct TrendJson {
    snapshots: Vec<String>,
    classes: Vec<TrendClass>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct TrendClass {
    name: String,
    location: Option<Location>,
    counts: Vec<u64>,
    sizes: Vec<u64>,
    grew_every_interval: bool,
}

/// Runs `heaptui trend`.
pub fn run_trend(args: &Args, flags: &LoadFlags) -> Result<i32> {
    let mut rows = load_series(args, flags)?.trend;
    trend::sort_by_growth(&mut rows);
    rows.truncate(args.top.unwrap_or(usize::MAX));
    if Format::pick(args.format, args.json) == Format::Json {
        let doc = TrendJson {
            snapshots: args
                .snapshots
                .iter()
                .map(|p| p.display().to_string())
                .collect(),
            classes: rows
                .iter()
                .map(|r| TrendClass {
                    name: r.name.clone(),
                    location: r.location,
                    counts: r.counts.clone(),
                    sizes: r.sizes.clone(),
                    grew_every_interval: r.grew_every_interval(),
                })
                .collect(),
        };
        return print(&(crate::util::sanitize::to_json(&doc) + "\n"));
    }
    let mut text = String::new();
    for r in &rows {
        text.push_str(&format!(
            "{} {:<36} {} {:>10} {}\n",
            if r.grew_every_interval() { "↑" } else { " " },
            format::truncate(&sanitize(&r.name), 36),
            sparkline(&r.counts),
            format::signed_count(r.count_delta()),
            counts_text(&r.counts)
        ));
    }
    print(&text)
}

/// A sparkline of a series (`▁▂▃▅█`), scaled between its minimum and maximum.
pub fn sparkline(values: &[u64]) -> String {
    const BARS: [char; 8] = ['▁', '▂', '▃', '▄', '▅', '▆', '▇', '█'];
    let (lo, hi) = (
        values.iter().min().copied().unwrap_or(0),
        values.iter().max().copied().unwrap_or(0),
    );
    values
        .iter()
        .map(|&v| {
            if hi == lo {
                BARS[0]
            } else {
                BARS[((v - lo) * 7 / (hi - lo)) as usize]
            }
        })
        .collect()
}

/// `heaptui suspects --json`.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct SuspectsJson {
    snapshots: Vec<String>,
    matched_by: &'static str,
    suspects: Vec<SuspectJson>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct SuspectJson {
    name: String,
    location: Option<Location>,
    counts: Vec<u64>,
    sizes: Vec<u64>,
    new_objects: usize,
    held_size: u64,
    pattern: Option<&'static str>,
    hint: Option<&'static str>,
    path: Vec<Step>,
    path_share: f64,
}

/// Ranks the suspects of loaded series.
pub fn suspects_of(
    snapshots: &[Snapshot],
    last_rows: &[Aggregate],
    rows: &[trend::TrendRow],
    top: usize,
) -> (MatchBy, Vec<suspects::Suspect>) {
    let (first, last) = (&snapshots[0], &snapshots[snapshots.len() - 1]);
    let verdict = crate::snapshot::judge_pair(first, last);
    let list = suspects::rank(
        first,
        last,
        last_rows,
        rows,
        verdict.match_by == MatchBy::Id,
        top,
    );
    (verdict.match_by, list)
}

/// Runs `heaptui suspects`.
pub fn run_suspects(args: &Args, flags: &LoadFlags) -> Result<i32> {
    if args.snapshots.len() < 2 {
        return Err(Error::new("suspects needs two or more snapshots"));
    }
    let series = load_series(args, flags)?;
    let (match_by, list) = suspects_of(
        &series.snapshots,
        &series.last_rows,
        &series.trend,
        args.top.unwrap_or(10),
    );
    match Format::pick(args.format, args.json) {
        Format::Json => {
            let doc = SuspectsJson {
                snapshots: args
                    .snapshots
                    .iter()
                    .map(|p| p.display().to_string())
                    .collect(),
                matched_by: if match_by == MatchBy::Id {
                    "id"
                } else {
                    "class"
                },
                suspects: list
                    .iter()
                    .map(|s| SuspectJson {
                        name: s.trend.name.clone(),
                        location: s.trend.location,
                        counts: s.trend.counts.clone(),
                        sizes: s.trend.sizes.clone(),
                        new_objects: s.new_objects,
                        held_size: s.held_size,
                        pattern: s.pattern.map(|p| p.id),
                        hint: s.pattern.map(|p| p.hint),
                        path: s.path.clone(),
                        path_share: (s.path_share * 1000.0).round() / 1000.0,
                    })
                    .collect(),
            };
            print(&(crate::util::sanitize::to_json(&doc) + "\n"))
        }
        Format::Markdown => print(&markdown(&list)),
        Format::Text => print(&text(&list)),
    }
}

/// `5 → 205 → 405`.
fn counts_text(counts: &[u64]) -> String {
    counts
        .iter()
        .map(|&c| format::count(c))
        .collect::<Vec<_>>()
        .join(" → ")
}

fn path_text(path: &[Step], escape: &dyn Fn(&str) -> String) -> String {
    path.iter()
        .map(|s| format!("{} in {}", escape(&s.edge_name), escape(&s.class_name)))
        .collect::<Vec<_>>()
        .join(" ← ")
}

fn text(list: &[suspects::Suspect]) -> String {
    let mut out = String::new();
    for (i, s) in list.iter().enumerate() {
        out.push_str(&format!(
            "{}. {}  {}  counts {}  holds {}{}\n   path ({:.0}% of new objects): {}\n",
            i + 1,
            sanitize(&s.trend.name),
            sparkline(&s.trend.counts),
            counts_text(&s.trend.counts),
            format::bytes(s.held_size),
            s.pattern
                .map_or_else(String::new, |p| format!("\n   likely: {}", p.hint)),
            100.0 * s.path_share,
            path_text(&s.path, &|t| sanitize(t).into_owned())
        ));
    }
    out
}

fn markdown(list: &[suspects::Suspect]) -> String {
    let cell = super::markdown::cell;
    let mut out = String::from(
        "### Leak suspects\n\n| # | Class | Counts | Holds | Pattern |\n|--:|---|---|--:|---|\n",
    );
    for (i, s) in list.iter().enumerate() {
        out.push_str(&format!(
            "| {} | {} | {} | {} | {} |\n",
            i + 1,
            cell(&s.trend.name),
            counts_text(&s.trend.counts),
            format::bytes(s.held_size),
            s.pattern.map_or("", |p| p.hint)
        ));
    }
    if let Some(s) = list.first() {
        out.push_str(&format!(
            "\nRetaining path of the top suspect ({:.0}% of its new objects):\n\n",
            100.0 * s.path_share
        ));
        for (i, step) in s.path.iter().enumerate() {
            out.push_str(&format!(
                "{}. {} in {}\n",
                i + 1,
                cell(&step.edge_name),
                cell(&step.class_name)
            ));
        }
    }
    out
}
