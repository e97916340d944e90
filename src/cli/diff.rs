//! `heaptui diff`: DevTools' Comparison view (base → after).

use super::{budget, format, json, load_all, print, summary::matches, Format, LoadFlags};
use crate::analysis::diff::{ClassChange, ClassDiff};
use crate::analysis::identity::{MatchBy, Verdict};
use crate::error::Result;
use std::cmp::Ordering;
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
    #[arg(long, value_enum, default_value_t = SortColumn::AllocSize)]
    pub sort: SortColumn,
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

/// Comparison columns.
#[derive(clap::ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
#[allow(missing_docs)]
pub enum SortColumn {
    Name,
    New,
    Deleted,
    Delta,
    AllocSize,
    FreedSize,
    SizeDelta,
}

/// Sorts Comparison rows: the column descending (name ascending), then name.
pub fn sort(rows: &mut [ClassDiff], column: SortColumn, reverse: bool) {
    super::sort_rows(
        rows,
        |row| &row.name,
        reverse,
        |a, b| match column {
            SortColumn::Name => Ordering::Equal,
            SortColumn::New => b.added.len().cmp(&a.added.len()),
            SortColumn::Deleted => b.removed.len().cmp(&a.removed.len()),
            SortColumn::Delta => b.count_delta().cmp(&a.count_delta()),
            SortColumn::AllocSize => b.added_size.cmp(&a.added_size),
            SortColumn::FreedSize => b.removed_size.cmp(&a.removed_size),
            SortColumn::SizeDelta => b.size_delta().cmp(&a.size_delta()),
        },
    );
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

/// Sorts class-matched rows; columns without a class-mode meaning sort by size delta.
pub fn sort_changes(rows: &mut [ClassChange], column: SortColumn, reverse: bool) {
    super::sort_rows(
        rows,
        |row| &row.name,
        reverse,
        |a, b| match column {
            SortColumn::Name => Ordering::Equal,
            SortColumn::Delta | SortColumn::New | SortColumn::Deleted => {
                b.count_delta().cmp(&a.count_delta())
            }
            _ => b.size_delta().cmp(&a.size_delta()),
        },
    );
}

/// Runs the command.
pub fn run(args: &Args, flags: &LoadFlags) -> Result<i32> {
    let budgets: Vec<budget::Budget> = args
        .fail_on
        .iter()
        .map(|b| budget::parse_count(b))
        .chain(args.fail_on_size.iter().map(|b| budget::parse_size(b)))
        .collect::<Result<_>>()?;
    let mut loaded = load_all(&[&args.base, &args.after], flags)?;
    let after = loaded.pop().expect("two snapshots");
    let mut base = loaded.pop().expect("two snapshots");
    let mut verdict = crate::snapshot::judge_pair(&base, &after);
    match args.match_by {
        MatchArg::Auto => {}
        MatchArg::Id => verdict.match_by = MatchBy::Id,
        MatchArg::Class => verdict.match_by = MatchBy::Class,
    }
    let total_delta = after.total_size() as i64 - base.total_size() as i64;
    let keep = |name: &str| matches(name, args.filter.as_deref());
    let (printed, exceeded) = match verdict.match_by {
        MatchBy::Id => {
            let all = crate::snapshot::compare(&mut base, &after);
            let exceeded = budget::check(&budgets, &budget::growth(&all), total_delta);
            let mut rows: Vec<ClassDiff> = all.into_iter().filter(|r| keep(&r.name)).collect();
            sort(&mut rows, args.sort, args.reverse);
            rows.truncate(args.top.unwrap_or(usize::MAX));
            (
                output_by_id(args, &verdict, &base, &after, &rows)?,
                exceeded,
            )
        }
        MatchBy::Class => {
            let all = crate::snapshot::compare_by_class(&mut base, &after);
            let growth: Vec<budget::Growth> = all
                .iter()
                .map(|r| (r.name.as_str(), r.count_delta(), r.size_delta()))
                .collect();
            let exceeded = budget::check(&budgets, &growth, total_delta);
            let mut rows: Vec<ClassChange> =
                all.iter().filter(|r| keep(&r.name)).cloned().collect();
            sort_changes(&mut rows, args.sort, args.reverse);
            rows.truncate(args.top.unwrap_or(usize::MAX));
            (output_by_class(args, &verdict, &rows)?, exceeded)
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

/// The number columns of an id-matched row: # New, # Deleted, # Delta, Alloc. Size, Freed
/// Size, Size Delta.
pub fn cells(r: &ClassDiff) -> [String; 6] {
    [
        format::count(r.added.len() as u64),
        format::count(r.removed.len() as u64),
        format::signed_count(r.count_delta()),
        format::bytes(r.added_size),
        format::bytes(r.removed_size),
        format::signed_bytes(r.size_delta()),
    ]
}

/// The number columns of a class-matched row: Base Count, After Count, # Delta, Base Size,
/// After Size, Size Delta.
pub fn change_cells(r: &ClassChange) -> [String; 6] {
    [
        format::count(r.base_count),
        format::count(r.after_count),
        format::signed_count(r.count_delta()),
        format::bytes(r.base_size),
        format::bytes(r.after_size),
        format::signed_bytes(r.size_delta()),
    ]
}

/// One line saying how objects were matched and why.
pub fn matching_note(verdict: &Verdict) -> String {
    let evidence = match verdict.pids {
        Some((a, b)) => format!("process ids {a} and {b} in the file names"),
        None => format!(
            "{:.0}% of {} shared object ids kept their type and name",
            100.0 * verdict.same_fraction,
            verdict.shared_ids
        ),
    };
    match verdict.match_by {
        MatchBy::Id => format!("matched by object id ({evidence})"),
        MatchBy::Class => format!(
            "matched by class only: the snapshots come from different processes ({evidence}), so object ids are unrelated"
        ),
    }
}

fn header(args: &Args, verdict: &Verdict) -> String {
    format!(
        "{} → {}\n{}\n",
        crate::sanitize::sanitize(&crate::error::input_name(&args.base)),
        crate::sanitize::sanitize(&crate::error::input_name(&args.after)),
        matching_note(verdict)
    )
}

fn json_doc(args: &Args, verdict: &Verdict, classes: Vec<json::DiffClass>) -> String {
    let out = json::Diff {
        base: args.base.display().to_string(),
        after: args.after.display().to_string(),
        matched_by: match verdict.match_by {
            MatchBy::Id => "id",
            MatchBy::Class => "class",
        },
        process_check: verdict.into(),
        classes,
    };
    crate::sanitize::to_json(&out) + "\n"
}

fn output_by_id(
    args: &Args,
    verdict: &Verdict,
    base: &crate::Snapshot,
    after: &crate::Snapshot,
    rows: &[ClassDiff],
) -> Result<i32> {
    match Format::pick(args.format, args.json) {
        Format::Markdown => return print(&super::markdown::diff(base, after, rows)),
        Format::Json => {
            return print(&json_doc(
                args,
                verdict,
                rows.iter().map(json::DiffClass::from).collect(),
            ))
        }
        Format::Text => {}
    }
    let mut text = header(args, verdict);
    text.push_str(&format!(
        "{:<40} {:>8} {:>9} {:>9} {:>11} {:>11} {:>12}\n",
        "Constructor", "# New", "# Deleted", "# Delta", "Alloc. Size", "Freed Size", "Size Delta"
    ));
    for r in rows {
        let [new, deleted, delta, alloc, freed, size_delta] = cells(r);
        text.push_str(&format!(
            "{:<40} {new:>8} {deleted:>9} {delta:>9} {alloc:>11} {freed:>11} {size_delta:>12}\n",
            format::truncate(&crate::sanitize::sanitize(&r.name), 40),
        ));
    }
    print(&text)
}

fn output_by_class(args: &Args, verdict: &Verdict, rows: &[ClassChange]) -> Result<i32> {
    if Format::pick(args.format, args.json) == Format::Json {
        return print(&json_doc(
            args,
            verdict,
            rows.iter().map(json::DiffClass::from).collect(),
        ));
    }
    let markdown = Format::pick(args.format, args.json) == Format::Markdown;
    let mut text = if markdown {
        format!(
            "### Heap comparison by class\n\n{}\n\n| Constructor | # Base | # After | # Delta | Base Size | After Size | Size Delta |\n|---|--:|--:|--:|--:|--:|--:|\n",
            super::markdown::cell(&matching_note(verdict))
        )
    } else {
        header(args, verdict)
            + &format!(
                "{:<40} {:>9} {:>9} {:>9} {:>11} {:>11} {:>12}\n",
                "Constructor",
                "# Base",
                "# After",
                "# Delta",
                "Base Size",
                "After Size",
                "Size Delta"
            )
    };
    for r in rows {
        let cells = change_cells(r);
        if markdown {
            text.push_str(&format!(
                "| {} | {} |\n",
                super::markdown::cell(&r.name),
                cells.join(" | ")
            ));
        } else {
            text.push_str(&format!(
                "{:<40} {:>9} {:>9} {:>9} {:>11} {:>11} {:>12}\n",
                format::truncate(&crate::sanitize::sanitize(&r.name), 40),
                cells[0],
                cells[1],
                cells[2],
                cells[3],
                cells[4],
                cells[5]
            ));
        }
    }
    print(&text)
}
