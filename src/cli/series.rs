//! Commands over a series of snapshots: `heaptui trend` (per-class counts and sizes in each
//! snapshot, sustained growth first) and `heaptui suspects` (ranked leak suspects with their
//! dominant retaining path and a hint when they match a known leak pattern).

use super::{json_line, load_all, markdown, print, Format, Loading};
use crate::error::{Error, Result};
use crate::leaks::patterns::Step;
use crate::leaks::{suspects, trend};
use crate::present::{format, labels};
use crate::snapshot::Location;
use crate::util::sanitize::sanitize;
use serde::Serialize;
use std::path::{Path, PathBuf};

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

/// Suspects listed when `--top` is not given.
const DEFAULT_SUSPECTS: usize = 10;

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

fn file_names(args: &Args) -> Vec<String> {
    args.snapshots
        .iter()
        .map(|p| p.display().to_string())
        .collect()
}

fn load_series(args: &Args, loading: &Loading) -> Result<Vec<crate::snapshot::Snapshot>> {
    let paths: Vec<&Path> = args.snapshots.iter().map(PathBuf::as_path).collect();
    load_all(&paths, loading)
}

/// Runs `heaptui trend`.
pub fn run_trend(args: &Args, loading: &Loading) -> Result<i32> {
    let mut rows = trend::of_series(&load_series(args, loading)?);
    trend::sort_by_growth(&mut rows);
    rows.truncate(args.top.unwrap_or(usize::MAX));
    if Format::pick(args.format, args.json) == Format::Json {
        return print(&json_line(&TrendJson {
            snapshots: file_names(args),
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
        }));
    }
    let mut text = String::new();
    for r in &rows {
        text.push_str(&format!(
            "{} {:<36} {} {:>10} {}\n",
            if r.grew_every_interval() { "↑" } else { " " },
            format::truncate(&sanitize(&r.name), 36),
            labels::sparkline(&r.counts),
            format::signed_count(r.count_delta()),
            labels::counts(&r.counts)
        ));
    }
    print(&text)
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

impl From<&suspects::Suspect> for SuspectJson {
    fn from(s: &suspects::Suspect) -> Self {
        SuspectJson {
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
        }
    }
}

/// Runs `heaptui suspects`.
pub fn run_suspects(args: &Args, loading: &Loading) -> Result<i32> {
    if args.snapshots.len() < 2 {
        return Err(Error::usage("suspects needs two or more snapshots"));
    }
    let snapshots = load_series(args, loading)?;
    let trend = trend::of_series(&snapshots);
    let top = args.top.unwrap_or(DEFAULT_SUSPECTS);
    let (match_by, list) = suspects::of_series(&snapshots, &trend, top);
    match Format::pick(args.format, args.json) {
        Format::Json => print(&json_line(&SuspectsJson {
            snapshots: file_names(args),
            matched_by: labels::match_name(match_by),
            suspects: list.iter().map(Into::into).collect(),
        })),
        Format::Markdown => print(&markdown::suspects(&list)),
        Format::Text => print(&text(&list)),
    }
}

fn text(list: &[suspects::Suspect]) -> String {
    let mut out = String::new();
    for (i, s) in list.iter().enumerate() {
        out.push_str(&format!(
            "{}. {}  {}  counts {}  holds {}{}\n   path ({:.0}% of new objects): {}\n",
            i + 1,
            sanitize(&s.trend.name),
            labels::sparkline(&s.trend.counts),
            labels::counts(&s.trend.counts),
            format::bytes(s.held_size),
            s.pattern
                .map_or_else(String::new, |p| format!("\n   likely: {}", p.hint)),
            100.0 * s.path_share,
            labels::path(&s.path, &|t| sanitize(t).into_owned())
        ));
    }
    out
}
