//! Commands over a series of snapshots: `heaptui trend` (per-class counts and sizes in each
//! snapshot, sustained growth first) and `heaptui suspects` (ranked leak suspects with their
//! dominant retaining path and a hint when they match a known leak pattern).

use super::{json_line, load_all, markdown, print, Format, Loading, Output};
use heaptui_common::error::{Error, Result};
use heaptui_common::util::sanitize::sanitize;
use heaptui_engine::MatchBy;
use heaptui_leaks::{suspects, trend};
use heaptui_present::suspects as wording;
use heaptui_present::{format, json_series, labels};
use std::path::{Path, PathBuf};

/// Arguments of `heaptui trend` and `heaptui suspects`.
#[derive(clap::Args, Debug)]
pub struct Args {
    /// Two or more snapshots, oldest first.
    #[arg(required = true, num_args = 2..)]
    pub snapshots: Vec<PathBuf>,
    /// `--json` or `--format`.
    #[command(flatten)]
    pub output: Output,
    /// Print only the first N rows.
    #[arg(long, value_name = "N")]
    pub top: Option<usize>,
}

/// Suspects listed when `--top` is not given.
const DEFAULT_SUSPECTS: usize = 10;

fn file_names(args: &Args) -> Vec<String> {
    args.snapshots
        .iter()
        .map(|p| p.display().to_string())
        .collect()
}

fn load_series(args: &Args, loading: &Loading) -> Result<Vec<heaptui_engine::Snapshot>> {
    let paths: Vec<&Path> = args.snapshots.iter().map(PathBuf::as_path).collect();
    load_all(&paths, loading)
}

/// Runs `heaptui trend`.
pub fn run_trend(args: &Args, loading: &Loading) -> Result<i32> {
    let mut rows = trend::of_series(&load_series(args, loading)?);
    trend::sort_by_growth(&mut rows);
    rows.truncate(args.top.unwrap_or(usize::MAX));
    if args.output.format() == Format::Json {
        return print(&json_line(&json_series::Trend::of(file_names(args), &rows)));
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

/// Runs `heaptui suspects`.
pub fn run_suspects(args: &Args, loading: &Loading) -> Result<i32> {
    if args.snapshots.len() < 2 {
        return Err(Error::usage("suspects needs two or more snapshots"));
    }
    let snapshots = load_series(args, loading)?;
    let clock = std::time::Instant::now();
    let trend = trend::of_series(&snapshots);
    let trend_time = clock.elapsed();
    let top = args.top.unwrap_or(DEFAULT_SUSPECTS);
    let (match_by, list) = suspects::of_series(&snapshots, &trend, top);
    if loading.timings {
        eprintln!(
            "timings of the series: trend {:.3} s, suspects {:.3} s",
            trend_time.as_secs_f64(),
            (clock.elapsed() - trend_time).as_secs_f64()
        );
    }
    let by_shape = match_by == MatchBy::Class;
    let (note, renumbered) = match labels::series_matching(&snapshots) {
        Some((note, renumbered)) => (Some(note), renumbered),
        None => (None, false),
    };
    // Only renumbered ids need the extra line in the reports: "different processes" in the
    // heading says the rest.
    let renumbered = note.as_deref().filter(|_| renumbered);
    match args.output.format() {
        Format::Json => print(&json_line(
            &json_series::Suspects::of(file_names(args), match_by, &list).with_note(note),
        )),
        Format::Markdown => print(&markdown::suspects(&list, by_shape, renumbered)),
        Format::Text => print(&text(&list, by_shape, renumbered)),
    }
}

/// Classes listed per suspect in the text report (what accumulates, what the holder stores).
const CLASSES_SHOWN: usize = 4;

fn text(list: &[suspects::Suspect], by_shape: bool, note: Option<&str>) -> String {
    let heading = match note {
        Some(_) => wording::MATCHING_RENUMBERED,
        None => wording::matching(by_shape),
    };
    let mut out = format!("Leak suspects ({heading})\n");
    if let Some(note) = note {
        out.push_str(&format!("{note}\n"));
    }
    if list.is_empty() {
        out.push_str("no object accumulated new objects across the series\n");
    }
    for (i, s) in list.iter().enumerate() {
        let safe = |t: String| sanitize(&t).into_owned();
        out.push_str(&format!(
            "{}. {}  {}  retained {}\n   {}: {}\n",
            i + 1,
            safe(wording::holder(s)),
            safe(s.holder_class.clone()),
            wording::retained(s),
            wording::summary(s),
            safe(wording::accumulates(s, CLASSES_SHOWN)),
        ));
        out.push_str(&format!(
            "   stores: {}\n",
            safe(wording::stores(s, CLASSES_SHOWN))
        ));
        if let Some(p) = s.pattern {
            out.push_str(&format!("   likely: {}\n", p.hint));
        }
        out.push_str(&format!(
            "   path ({}): {}\n",
            safe(wording::path_end(s)),
            safe(wording::path(&s.holder_path))
        ));
        for f in &s.code {
            out.push_str(&format!("   code: {}\n", safe(wording::function(f))));
        }
        for a in &s.allocated_at {
            out.push_str(&format!(
                "   allocated at: {}\n",
                safe(wording::allocation_site(a))
            ));
        }
    }
    out
}
