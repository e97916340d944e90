//! The headless commands: `summary`, `diff` and `retainers` print DevTools' views, `trend` and
//! `suspects` look across a series, as text tables, Markdown reports or, with `--json`, JSON
//! for tools. Each command is a module with its clap arguments and a `run`.
#![warn(missing_docs)]

pub mod budget;
pub mod capture;
pub mod diff;
pub mod dominators;
pub mod index;
pub mod markdown;
pub mod modules;
pub mod paths;
pub mod query;
pub mod realms;
pub mod retainers;
pub mod series;
pub mod show;
pub mod statistics;
pub mod summary;

pub use heaptui_present::{json, json_views};

use heaptui_common::error::{Error, Result};
use heaptui_common::progress::Progress;
use heaptui_common::util::input_name;
use heaptui_common::util::sanitize::sanitize;
use heaptui_engine::{LoadOptions, Snapshot};
use std::path::Path;

/// Exit status for errors (bad input, unreadable file).
pub const EXIT_ERROR: i32 = 1;
/// Exit status for usage errors.
pub const EXIT_USAGE: i32 = 2;

/// Output formats of the table commands.
#[derive(clap::ValueEnum, Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum Format {
    /// Aligned text columns.
    #[default]
    Text,
    /// JSON for tools.
    Json,
    /// Markdown, to paste into an issue.
    Markdown,
}

/// The output choice of every command that prints a report: `--json`, or `--format`.
#[derive(clap::Args, Debug, Clone, Copy)]
pub struct Output {
    /// Print JSON (same as `--format json`).
    #[arg(long)]
    pub json: bool,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
}

impl Output {
    /// The format chosen by `--format`, with `--json` as a shorthand.
    pub fn format(&self) -> Format {
        if self.json {
            Format::Json
        } else {
            self.format
        }
    }
}

/// How the headless commands load snapshots.
#[derive(Debug, Clone, Copy, Default)]
pub struct Loading {
    /// Print each snapshot's phase timings to stderr.
    pub timings: bool,
    /// The library's load options.
    pub options: LoadOptions,
}

/// Loads one snapshot for a headless command, printing warnings, and phase timings when asked.
pub fn load(path: &Path, loading: &Loading) -> Result<Snapshot> {
    let snapshot = Snapshot::load(path, loading.options, &Progress::NONE)?;
    for w in snapshot.warnings() {
        eprintln!("heaptui: warning: {}: {}", sanitize(&input_name(path)), w);
    }
    print_notes(&snapshot);
    if loading.timings {
        print_timings(&snapshot);
    }
    Ok(snapshot)
}

/// Loads several snapshots in parallel.
pub fn load_all(paths: &[&Path], loading: &Loading) -> Result<Vec<Snapshot>> {
    use rayon::prelude::*;
    paths.par_iter().map(|p| load(p, loading)).collect()
}

/// Prints a snapshot's notes about its load (the index rebuilt, written or skipped) to stderr.
fn print_notes(snapshot: &Snapshot) {
    for note in snapshot.notes() {
        let name = input_name(snapshot.path());
        eprintln!("heaptui: note: {}: {}", sanitize(&name), sanitize(&note));
    }
}

fn print_timings(s: &Snapshot) {
    let name = sanitize(&input_name(s.path())).into_owned();
    eprintln!(
        "timings for {name}: {} nodes, {} edges",
        s.node_count(),
        s.edge_count()
    );
    for (phase, t) in s.timings() {
        eprintln!("  {phase:<45} {:>8.3} s", t.as_secs_f64());
    }
}

/// Writes `text` to stdout, treating a closed pipe (`| head`) as success.
pub fn print(text: &str) -> Result<i32> {
    use std::io::Write;
    let mut out = std::io::stdout().lock();
    match out.write_all(text.as_bytes()).and_then(|_| out.flush()) {
        Ok(()) => Ok(0),
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(0),
        Err(e) => Err(Error::terminal("cannot write output", e)),
    }
}

/// JSON of `value` with heap strings escaped, and a final newline.
fn json_line<T: serde::Serialize>(value: &T) -> String {
    heaptui_common::util::sanitize::to_json(value) + "\n"
}
