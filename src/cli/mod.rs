//! The command line: `heaptui SNAP…` opens the TUI; `summary`, `diff` and `retainers` print
//! DevTools' views as text tables or, with `--json`, as JSON for tools.

pub mod budget;
pub mod diff;
pub mod format;
pub mod json;
pub mod markdown;
pub mod retainers;
pub mod series;
pub mod summary;

use crate::error::Error;
use crate::parse::Options;
use crate::progress::Progress;
use crate::snapshot::Snapshot;
use clap::{Parser, Subcommand};
use std::path::{Path, PathBuf};

/// Exit status for errors (bad input, unreadable file).
pub const EXIT_ERROR: i32 = 1;
/// Exit status for usage errors.
pub const EXIT_USAGE: i32 = 2;

/// Terminal explorer for V8 heap snapshots, with Chrome DevTools' exact numbers.
#[derive(Parser, Debug)]
#[command(name = "heaptui", version, args_conflicts_with_subcommands = true)]
pub struct Cli {
    /// Snapshots to explore: one opens Summary, two open Comparison (base, after), three or
    /// more open Suspects; or one folder of snapshots to pick from.
    pub files: Vec<PathBuf>,
    /// Print the time of each load phase to stderr.
    #[arg(long, global = true)]
    pub timings: bool,
    /// Load even when the estimated memory need exceeds what the machine has available.
    #[arg(long, global = true)]
    pub no_memory_check: bool,
    /// Mask string values (keeping their length) in everything shown or printed.
    #[arg(long, global = true)]
    pub redact: bool,
    /// The headless command to run instead of the TUI.
    #[command(subcommand)]
    pub command: Option<Command>,
}

/// Headless commands.
#[derive(Subcommand, Debug)]
pub enum Command {
    /// Print the Summary view: objects grouped by class.
    Summary(summary::Args),
    /// Print the Comparison view of two snapshots (base → after).
    Diff(diff::Args),
    /// Print the Retainers pane of one object (`@ID`) and its path to the GC roots.
    Retainers(retainers::Args),
    /// Print per-class counts and sizes across two or more snapshots, sustained growth first.
    Trend(series::Args),
    /// Rank leak suspects across two or more snapshots, with their dominant retaining path.
    Suspects(series::Args),
    /// Print a shell completion script.
    Completions {
        /// The shell.
        shell: clap_complete::Shell,
    },
    /// Print the man page (roff).
    Man,
}

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

impl Format {
    /// The format chosen by `--format`, with `--json` as a shorthand.
    pub fn pick(format: Format, json: bool) -> Format {
        if json {
            Format::Json
        } else {
            format
        }
    }
}

/// Parses the arguments and runs; returns the process exit status.
pub fn main() -> i32 {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            let _ = e.print();
            return if e.use_stderr() { EXIT_USAGE } else { 0 };
        }
    };
    let load = LoadFlags {
        timings: cli.timings,
        redact: cli.redact,
        options: Options {
            check_memory: !cli.no_memory_check,
        },
    };
    let result = match &cli.command {
        Some(Command::Summary(args)) => summary::run(args, &load),
        Some(Command::Diff(args)) => diff::run(args, &load),
        Some(Command::Retainers(args)) => retainers::run(args, &load),
        Some(Command::Trend(args)) => series::run_trend(args, &load),
        Some(Command::Suspects(args)) => series::run_suspects(args, &load),
        Some(Command::Completions { shell }) => {
            clap_complete::generate(
                *shell,
                &mut <Cli as clap::CommandFactory>::command(),
                "heaptui",
                &mut std::io::stdout(),
            );
            Ok(0)
        }
        Some(Command::Man) => {
            let mut page = Vec::new();
            let rendered =
                clap_mangen::Man::new(<Cli as clap::CommandFactory>::command()).render(&mut page);
            rendered
                .map_err(|e| Error::new(format!("cannot render the man page: {e}")))
                .and_then(|_| print(&String::from_utf8_lossy(&page)))
        }
        None if cli.files.is_empty() => {
            eprintln!("heaptui: give one or more .heapsnapshot files (see `heaptui --help`)");
            return EXIT_USAGE;
        }
        None => crate::tui::run_with(&cli.files, &load),
    };
    match result {
        Ok(code) => code,
        Err(e) => {
            eprintln!("heaptui: {e}");
            EXIT_ERROR
        }
    }
}

/// How the headless commands load snapshots.
pub struct LoadFlags {
    /// Print phase timings to stderr.
    pub timings: bool,
    /// Mask string values.
    pub redact: bool,
    /// Parser options.
    pub options: Options,
}

/// Loads one snapshot for a headless command, printing warnings, and phase timings when asked.
pub fn load(path: &Path, flags: &LoadFlags) -> Result<Snapshot, Error> {
    let mut snapshot = Snapshot::load_with(path, flags.options, &Progress::none())?;
    snapshot.redact = flags.redact;
    for w in &snapshot.warnings {
        eprintln!(
            "heaptui: warning: {}: {}",
            crate::sanitize::sanitize(&crate::error::input_name(path)),
            w
        );
    }
    if flags.timings {
        print_timings(&snapshot);
    }
    Ok(snapshot)
}

/// Loads several snapshots in parallel.
pub fn load_all(paths: &[&Path], flags: &LoadFlags) -> Result<Vec<Snapshot>, Error> {
    use rayon::prelude::*;
    paths.par_iter().map(|p| load(p, flags)).collect()
}

fn print_timings(s: &Snapshot) {
    let name = crate::sanitize::sanitize(&crate::error::input_name(&s.path)).into_owned();
    eprintln!(
        "timings for {name}: {} nodes, {} edges",
        s.node_count(),
        s.edge_count()
    );
    for (phase, t) in &s.timings {
        eprintln!("  {phase:<45} {:>8.3} s", t.as_secs_f64());
    }
}

/// Writes `text` to stdout, treating a closed pipe (`| head`) as success.
pub fn print(text: &str) -> Result<i32, Error> {
    use std::io::Write;
    let mut out = std::io::stdout().lock();
    match out.write_all(text.as_bytes()).and_then(|_| out.flush()) {
        Ok(()) => Ok(0),
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(0),
        Err(e) => Err(Error::new(format!("cannot write output: {e}"))),
    }
}

/// Sorts table rows by `primary`, then by name in DevTools' order (UTF-16 code units);
/// `reverse` flips the whole order. The Summary and Comparison sorts differ only in `primary`.
pub(crate) fn sort_rows<T>(
    rows: &mut [T],
    name: impl Fn(&T) -> &str,
    reverse: bool,
    primary: impl Fn(&T, &T) -> std::cmp::Ordering,
) {
    rows.sort_by(|a, b| {
        let order = primary(a, b).then_with(|| crate::analysis::js::cmp_utf16(name(a), name(b)));
        if reverse {
            order.reverse()
        } else {
            order
        }
    });
}
