//! `heaptui diff`: DevTools' Comparison view (base → after).

use super::{budget, json_line, load_all, markdown, print, Format, Loading, Output};
use heaptui_common::error::Result;
use heaptui_common::util::input_name;
use heaptui_common::util::sanitize::sanitize;
use heaptui_engine::{ClassChange, ClassDiff, ComparisonRows, MatchBy, Verdict};
use heaptui_present::documents::diff as document;
use heaptui_present::sort::ComparisonSort;
use heaptui_present::{cells, format, labels};
use std::path::PathBuf;

/// Arguments of `heaptui diff`.
#[derive(clap::Args, Debug)]
pub struct Args {
    /// The earlier snapshot.
    pub base: PathBuf,
    /// The later snapshot.
    pub after: PathBuf,
    /// `--json` or `--format`.
    #[command(flatten)]
    pub output: Output,
    /// Exit with status 3 when CLASS grew by more than N objects (repeatable), e.g.
    /// `IncomingMessage:+10`.
    #[arg(long, value_name = "CLASS:+N")]
    pub fail_on: Vec<String>,
    /// Exit with status 3 when the heap (or `CLASS:`) grew by more than SIZE (repeatable), e.g.
    /// `+5MB` or `Buffer:+1MB`.
    #[arg(long, value_name = "[CLASS:]+SIZE")]
    pub fail_on_size: Vec<String>,
    /// Keep classes whose name contains TEXT (case-insensitive).
    #[arg(long, value_name = "TEXT")]
    pub filter: Option<String>,
    /// Sort by this column (descending, name ascending).
    #[arg(long, value_enum, default_value_t = ComparisonSort::AllocSize)]
    pub sort: ComparisonSort,
    /// Reverse the sort order.
    #[arg(long)]
    pub reverse: bool,
    /// Print only the first N rows.
    #[arg(long, value_name = "N")]
    pub top: Option<usize>,
    /// Match objects by id, by class, or decide from the snapshots.
    #[arg(long = "match", value_enum, default_value_t = MatchArg::Auto)]
    pub match_by: MatchArg,
}

/// How to match objects between the two snapshots.
#[derive(clap::ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum MatchArg {
    /// Decide from the snapshots (same process: by id; different processes: by class).
    Auto,
    /// By object id, as DevTools does (right only within one process).
    Id,
    /// By class counts and sizes only.
    Class,
}

impl MatchArg {
    /// The matching forced by the argument, if any.
    fn forced(self) -> Option<MatchBy> {
        match self {
            MatchArg::Auto => None,
            MatchArg::Id => Some(MatchBy::Id),
            MatchArg::Class => Some(MatchBy::Class),
        }
    }
}

/// Runs the command.
pub fn run(args: &Args, loading: &Loading) -> Result<i32> {
    let budgets: Vec<budget::Budget> = args
        .fail_on
        .iter()
        .map(|b| budget::parse_count(b))
        .chain(args.fail_on_size.iter().map(|b| budget::parse_size(b)))
        .collect::<Result<_>>()?;
    let loaded = load_all(&[&args.base, &args.after], loading)?;
    let (base, after) = (&loaded[0], &loaded[1]);
    let comparison = heaptui_engine::compare(base, after, args.match_by.forced());
    let total_delta = after.total_size() as i64 - base.total_size() as i64;
    let exceeded = match &comparison.rows {
        ComparisonRows::ById(all) => budget::check(&budgets, &budget::growth(all), total_delta),
        ComparisonRows::ByClass(all) => {
            let growth: Vec<budget::Growth> = all
                .iter()
                .map(|r| (r.name.as_str(), r.count_delta(), r.size_delta()))
                .collect();
            budget::check(&budgets, &growth, total_delta)
        }
    };
    let query = document::Query {
        filter: args.filter.as_deref(),
        sort: args.sort,
        reverse: args.reverse,
        top: args.top,
    };
    let format = args.output.format();
    let printed = if format == Format::Json {
        print(&json_line(&document::document(
            (base, args.base.display().to_string()),
            (after, args.after.display().to_string()),
            comparison,
            &query,
        )))
    } else {
        let verdict = &comparison.verdict;
        match comparison.rows {
            ComparisonRows::ById(all) => {
                let rows = document::select_by_id(all, &query);
                match format {
                    Format::Markdown => print(&markdown::diff(base, after, &rows)),
                    _ => print(&text_by_id(args, verdict, &rows)),
                }
            }
            ComparisonRows::ByClass(all) => {
                let rows = document::select_by_class(all, &query);
                match format {
                    Format::Markdown => print(&markdown::changes(verdict, &rows)),
                    _ => print(&text_by_class(args, verdict, &rows)),
                }
            }
        }
    }?;
    for line in &exceeded {
        eprintln!("heaptui: budget exceeded: {line}");
    }
    Ok(if exceeded.is_empty() {
        printed
    } else {
        budget::EXIT_BUDGET
    })
}

fn header(args: &Args, verdict: &Verdict) -> String {
    format!(
        "{} → {}\n{}\n",
        sanitize(&input_name(&args.base)),
        sanitize(&input_name(&args.after)),
        labels::matching_note(verdict)
    )
}

/// The aligned text table, header first: the Constructor column, then six number columns of
/// the given widths.
fn table(
    args: &Args,
    verdict: &Verdict,
    (titles, widths): ([&str; 6], [usize; 6]),
    rows: &[(&str, [String; 6])],
) -> String {
    let line = |name: &str, cells: &[&str; 6]| {
        let mut out = format!("{name:<40}");
        for (cell, width) in cells.iter().zip(widths) {
            out.push_str(&format!(" {cell:>width$}"));
        }
        out + "\n"
    };
    let mut text = header(args, verdict);
    text.push_str(&line("Constructor", &titles));
    for (name, cells) in rows {
        let cells = cells.each_ref().map(String::as_str);
        text.push_str(&line(&format::truncate(&sanitize(name), 40), &cells));
    }
    text
}

fn text_by_id(args: &Args, verdict: &Verdict, rows: &[ClassDiff]) -> String {
    let rows: Vec<(&str, [String; 6])> = rows
        .iter()
        .map(|r| (r.name.as_str(), cells::comparison(r)))
        .collect();
    let titles = [
        "# New",
        "# Deleted",
        "# Delta",
        "Alloc. Size",
        "Freed Size",
        "Size Delta",
    ];
    table(args, verdict, (titles, [8, 9, 9, 11, 11, 12]), &rows)
}

fn text_by_class(args: &Args, verdict: &Verdict, rows: &[ClassChange]) -> String {
    let rows: Vec<(&str, [String; 6])> = rows
        .iter()
        .map(|r| (r.name.as_str(), cells::change(r)))
        .collect();
    let titles = [
        "# Base",
        "# After",
        "# Delta",
        "Base Size",
        "After Size",
        "Size Delta",
    ];
    table(args, verdict, (titles, [9, 9, 9, 11, 11, 12]), &rows)
}
