//! `heaptui statistics`: DevTools' Statistics view, the heap by category (code, strings, JS
//! arrays, typed arrays, system objects, other), with sizes, shares and bars.

use super::json_views::StatisticsDoc;
use super::{json_line, load, print, Loading};
use heaptui_common::error::Result;
use heaptui_common::util::sanitize::sanitize;
use heaptui_present::{format, statistics};
use std::path::PathBuf;

/// Arguments of `heaptui statistics`.
#[derive(clap::Args, Debug)]
pub struct Args {
    /// The snapshot.
    pub snapshot: PathBuf,
    /// Print JSON (DevTools' field names).
    #[arg(long)]
    pub json: bool,
}

/// Width of the bars in the text output (the longest bar is the whole heap).
const BAR_WIDTH: usize = 40;

/// Runs the command.
pub fn run(args: &Args, loading: &Loading) -> Result<i32> {
    let snapshot = load(&args.snapshot, loading)?;
    let stats = snapshot.statistics();
    let file = args.snapshot.display().to_string();
    if args.json {
        return print(&json_line(&StatisticsDoc::of(file, stats)));
    }
    let mut text = format!(
        "{}: total {}\n",
        sanitize(&file),
        format::bytes(stats.total)
    );
    for row in statistics::rows(stats) {
        text.push_str(&format!(
            "{:<22} {:>9} {:>6}  {}\n",
            row.label,
            format::bytes(row.size),
            statistics::percent(row.size, stats.total),
            statistics::bar(row.size, stats.total, BAR_WIDTH),
        ));
    }
    print(&text)
}
