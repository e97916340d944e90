//! `heaptui diff`: DevTools' Comparison view (base → after).

use super::{budget, json, json_line, load_all, markdown, print, Format, Loading};
use heaptui_common::error::Result;
use heaptui_common::util::input_name;
use heaptui_common::util::sanitize::sanitize;
use heaptui_engine::{ClassChange, ClassDiff, ComparisonRows, MatchBy, Verdict};
use heaptui_present::sort::{self, ComparisonSort};
use heaptui_present::{cells, format, labels};
use std::path::PathBuf;

/// Arguments of `heaptui diff`.
#[derive(clap::Args, Debug)]
pub struct Args {
    /// The earlier snapshot.
    pub base: PathBuf,
    /// The later snapshot.
    pub after: PathBuf,
    /// Print JSON (same as `--format json`).
    #[arg(long)]
    pub json: bool,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
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
    let keep = |name: &str| sort::matches_filter(name, args.filter.as_deref());
    let top = args.top.unwrap_or(usize::MAX);
    let verdict = &comparison.verdict;
    let (printed, exceeded) = match comparison.rows {
        ComparisonRows::ById(all) => {
            let exceeded = budget::check(&budgets, &budget::growth(&all), total_delta);
            let mut rows: Vec<ClassDiff> = all.into_iter().filter(|r| keep(&r.name)).collect();
            sort::comparison(&mut rows, args.sort, args.reverse);
            rows.truncate(top);
            let printed = match Format::pick(args.format, args.json) {
                Format::Markdown => print(&markdown::diff(base, after, &rows)),
                Format::Json => print(&json_doc(
                    args,
                    verdict,
                    rows.iter()
                        .map(|r| json::DiffClass::of_diff(&[after, base], r)),
                )),
                Format::Text => print(&text_by_id(args, verdict, &rows)),
            };
            (printed?, exceeded)
        }
        ComparisonRows::ByClass(all) => {
            let growth: Vec<budget::Growth> = all
                .iter()
                .map(|r| (r.name.as_str(), r.count_delta(), r.size_delta()))
                .collect();
            let exceeded = budget::check(&budgets, &growth, total_delta);
            let mut rows: Vec<ClassChange> = all.into_iter().filter(|r| keep(&r.name)).collect();
            sort::changes(&mut rows, args.sort, args.reverse);
            rows.truncate(top);
            let printed = match Format::pick(args.format, args.json) {
                Format::Markdown => print(&markdown::changes(verdict, &rows)),
                Format::Json => print(&json_doc(
                    args,
                    verdict,
                    rows.iter()
                        .map(|r| json::DiffClass::of_change(&[after, base], r)),
                )),
                Format::Text => print(&text_by_class(args, verdict, &rows)),
            };
            (printed?, exceeded)
        }
    };
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

fn json_doc(
    args: &Args,
    verdict: &Verdict,
    classes: impl Iterator<Item = json::DiffClass>,
) -> String {
    json_line(&json::Diff {
        base: args.base.display().to_string(),
        after: args.after.display().to_string(),
        matched_by: labels::match_name(verdict.match_by),
        process_check: verdict.into(),
        classes: classes.collect(),
    })
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
