//! The program: the command line's grammar and the choice of front end. `heaptui SNAP…` runs
//! the interactive explorer ([`heaptui_tui`]); `summary`, `diff`, … run a headless command
//! ([`heaptui_cli`]); `mcp` serves the MCP tools ([`heaptui_mcp`]). This is the only module that
//! knows all the front ends.

use clap::{CommandFactory, Parser, Subcommand};
use heaptui_cli::{capture, diff, dominators, modules, paths, query, retainers, series, show};
use heaptui_cli::{statistics, summary};
use heaptui_cli::{Loading, EXIT_ERROR, EXIT_USAGE};
use heaptui_common::error::{Error, ErrorKind};
use heaptui_engine::LoadOptions;
use heaptui_tui as tui;
use std::path::PathBuf;

/// Worked examples for `--help`.
const EXAMPLES: &str = "\
Examples:
  heaptui before.heapsnapshot after.heapsnapshot
      Comparison of two snapshots of one process; d sorts by # Delta, 1 then r the Summary by
      Retained Size, Enter lists a class's objects, Tab and p walk one to the GC roots
  heaptui /var/diag
      pick two snapshots of one process from a diagnostic folder
  heaptui s1.heapsnapshot s2.heapsnapshot s3.heapsnapshot
      leak suspects across a series
  heaptui diff before.heapsnapshot after.heapsnapshot --sort delta --top 20
      the Comparison as text; --json for tools, --format markdown for an issue
  heaptui diff before.heapsnapshot after.heapsnapshot --fail-on IncomingMessage:+100
      a CI gate: exit status 3 when the budget is exceeded
  heaptui retainers after.heapsnapshot @12345 --depth 3
      what holds one object, and its path to the GC roots
  heaptui show after.heapsnapshot @12345 --depth 2
      what one object holds: its properties with their values, as DevTools expands it
  heaptui summary snap.heapsnapshot --preset duplicated-strings
      a DevTools Summary filter; also detached-dom, event-handlers, allocated-before, …
  heaptui summary snap.heapsnapshot.gz --redact --format markdown
      a shareable report, string values masked
  heaptui query snap.heapsnapshot --class '^IncomingMessage$' --min-retained 1kB
      the objects that pass filters, with their count, sizes and ids to open
  heaptui what-if snap.heapsnapshot @12345 @12347
      what releasing objects would free, and what would stay alive
  heaptui modules snap.heapsnapshot
      memory by npm package, app file and Node internals
  heaptui mcp --root /var/diag
      an MCP server on stdio for coding agents (claude mcp add heaptui -- heaptui mcp --root DIR)";

/// Terminal explorer for V8 heap snapshots, with Chrome DevTools' exact numbers.
#[derive(Parser, Debug)]
#[command(
    name = "heaptui",
    version,
    args_conflicts_with_subcommands = true,
    after_help = EXAMPLES
)]
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
    /// Reopen snapshots from their index in the local cache, or write one after loading (it
    /// holds the snapshot's data: see the README); HEAPTUI_INDEX=1 makes it the default.
    #[arg(long, global = true, overrides_with = "no_index")]
    pub index: bool,
    /// Do not use or write the index, whatever HEAPTUI_INDEX says.
    #[arg(long, global = true, overrides_with = "index")]
    pub no_index: bool,
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
    /// Print what one object (`@ID`) holds: its edges as DevTools lists them, with values.
    Show(show::Args),
    /// Print the dominator tree from the root, or what one object (`@ID`) keeps alive.
    Dominators(dominators::Args),
    /// Print where a class's objects (or its new ones) are held: their paths to the GC roots
    /// grouped by shape, most common first.
    Paths(paths::Args),
    /// Print the objects that pass filters (class regex, type, property and value, sizes,
    /// distance, DOM state, new since an earlier snapshot, reachable from an object).
    Query(query::Args),
    /// Print what releasing objects (ids, or --query with filters) would free, and what would
    /// stay alive.
    WhatIf(query::WhatIfArgs),
    /// Print memory by module: the app's files, each npm package, Node's internals.
    Modules(modules::Args),
    /// Print the Statistics view: the heap by category (code, strings, arrays, …).
    Statistics(statistics::Args),
    /// Print per-class counts and sizes across two or more snapshots, sustained growth first.
    Trend(series::Args),
    /// Rank leak suspects across two or more snapshots, with their dominant retaining path.
    Suspects(series::Args),
    /// Realms and closure contexts (`realms`, `contexts`).
    #[command(flatten)]
    Realms(heaptui_cli::realms::Commands),
    /// Build the index of snapshots for instant reopening, or prune the index cache.
    Index(heaptui_cli::index::Args),
    /// Take heap snapshots of a running process (inspector or signal), one or a series.
    Capture(capture::Args),
    /// Serve the analysis to coding agents: an MCP server on stdio (files only under --root,
    /// string values redacted unless --show-values).
    Mcp(heaptui_mcp::Args),
    /// Print a shell completion script.
    Completions {
        /// The shell.
        shell: clap_complete::Shell,
    },
    /// Print the man page (roff).
    Man,
}

/// Installs the reports for unexpected failures: color-eyre's for errors returned from
/// `main` and for panics, the panic report printed only after the terminal is given back.
pub fn install_reports() -> color_eyre::Result<()> {
    let (panic_hook, eyre_hook) = color_eyre::config::HookBuilder::default().into_hooks();
    eyre_hook.install()?;
    std::panic::set_hook(Box::new(move |info| {
        tui::restore_terminal();
        eprintln!("{}", panic_hook.panic_report(info));
    }));
    Ok(())
}

/// Parses the arguments and runs. Bad input and usage errors are printed as one line and give
/// the process exit status; only unexpected failures come back as a report.
pub fn run() -> color_eyre::Result<i32> {
    heaptui_common::util::system::return_large_blocks_at_once();
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            let _ = e.print();
            return Ok(if e.use_stderr() { EXIT_USAGE } else { 0 });
        }
    };
    let loading = Loading {
        timings: cli.timings,
        options: LoadOptions {
            check_memory: !cli.no_memory_check,
            redact: cli.redact,
            index: cli.index || (!cli.no_index && heaptui_engine::index_on_by_default()),
        },
    };
    let result = match &cli.command {
        Some(Command::Summary(args)) => summary::run(args, &loading),
        Some(Command::Diff(args)) => diff::run(args, &loading),
        Some(Command::Retainers(args)) => retainers::run(args, &loading),
        Some(Command::Show(args)) => show::run(args, &loading),
        Some(Command::Dominators(args)) => dominators::run(args, &loading),
        Some(Command::Paths(args)) => paths::run(args, &loading),
        Some(Command::Query(args)) => query::run(args, &loading),
        Some(Command::WhatIf(args)) => query::run_what_if(args, &loading),
        Some(Command::Modules(args)) => modules::run(args, &loading),
        Some(Command::Statistics(args)) => statistics::run(args, &loading),
        Some(Command::Trend(args)) => series::run_trend(args, &loading),
        Some(Command::Suspects(args)) => series::run_suspects(args, &loading),
        Some(Command::Realms(command)) => heaptui_cli::realms::run(command, &loading),
        Some(Command::Index(args)) => heaptui_cli::index::run(args, &loading),
        Some(Command::Capture(args)) => match capture::run(args) {
            Ok(capture::Outcome::Open(files)) => tui::run(&files, loading.options),
            Ok(capture::Outcome::Exit(code)) => Ok(code),
            Err(e) => Err(e),
        },
        Some(Command::Mcp(args)) => {
            match heaptui_mcp::serve_stdio(args.config(!cli.no_memory_check, loading.options.index))
            {
                Ok(()) => Ok(0),
                Err(e) => {
                    eprintln!("heaptui mcp: {e}");
                    return Ok(EXIT_ERROR);
                }
            }
        }
        Some(Command::Completions { shell }) => {
            let mut out = Vec::new();
            clap_complete::generate(*shell, &mut Cli::command(), "heaptui", &mut out);
            heaptui_cli::print(&String::from_utf8_lossy(&out))
        }
        Some(Command::Man) => man_page(),
        None if cli.files.is_empty() => {
            eprintln!("heaptui: give one or more .heapsnapshot files (see `heaptui --help`)");
            return Ok(EXIT_USAGE);
        }
        None => tui::run(&cli.files, loading.options),
    };
    match result {
        Ok(code) => Ok(code),
        Err(e) if e.kind() == ErrorKind::Internal => Err(e.into()),
        Err(e) => {
            eprintln!("heaptui: {e}");
            Ok(EXIT_ERROR)
        }
    }
}

fn man_page() -> heaptui_common::error::Result<i32> {
    let mut page = Vec::new();
    clap_mangen::Man::new(Cli::command())
        .render(&mut page)
        .map_err(|e| Error::internal(format!("cannot render the man page: {e}")))?;
    heaptui_cli::print(&String::from_utf8_lossy(&page))
}
