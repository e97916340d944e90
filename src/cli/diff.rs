//! `heaptui diff`: DevTools' Comparison view (base → after).

use super::{budget, format, json, load_all, print, summary::matches, Format, LoadFlags};
use crate::analysis::diff::ClassDiff;
use crate::analysis::js::cmp_utf16;
use crate::error::Result;
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
    rows.sort_by(|a, b| {
        let by_name = cmp_utf16(&a.name, &b.name);
        let primary = match column {
            SortColumn::Name => by_name,
            SortColumn::New => b.added.len().cmp(&a.added.len()),
            SortColumn::Deleted => b.removed.len().cmp(&a.removed.len()),
            SortColumn::Delta => b.count_delta().cmp(&a.count_delta()),
            SortColumn::AllocSize => b.added_size.cmp(&a.added_size),
            SortColumn::FreedSize => b.removed_size.cmp(&a.removed_size),
            SortColumn::SizeDelta => b.size_delta().cmp(&a.size_delta()),
        };
        let order = primary.then(by_name);
        if reverse {
            order.reverse()
        } else {
            order
        }
    });
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
    let all = crate::snapshot::compare(&mut base, &after);
    let exceeded = budget::check(
        &budgets,
        &all,
        after.total_size() as i64 - base.total_size() as i64,
    );
    let mut rows: Vec<ClassDiff> = all
        .into_iter()
        .filter(|r| matches(&r.name, args.filter.as_deref()))
        .collect();
    sort(&mut rows, args.sort, args.reverse);
    rows.truncate(args.top.unwrap_or(usize::MAX));
    let printed = output(args, &base, &after, &rows)?;
    for line in &exceeded {
        eprintln!("heaptui: budget exceeded: {line}");
    }
    Ok(if exceeded.is_empty() {
        printed
    } else {
        budget::EXIT_BUDGET
    })
}

fn output(
    args: &Args,
    base: &crate::Snapshot,
    after: &crate::Snapshot,
    rows: &[ClassDiff],
) -> Result<i32> {
    match Format::pick(args.format, args.json) {
        Format::Markdown => return print(&super::markdown::diff(base, after, rows)),
        Format::Text => {}
        Format::Json => {
            let out = json::Diff {
                base: args.base.display().to_string(),
                after: args.after.display().to_string(),
                classes: rows.iter().map(json::DiffClass::from).collect(),
            };
            return print(&(crate::sanitize::to_json(&out) + "\n"));
        }
    }
    let mut text = format!(
        "{} → {}\n{:<40} {:>8} {:>9} {:>9} {:>11} {:>11} {:>12}\n",
        crate::sanitize::sanitize(&args.base.display().to_string()),
        crate::sanitize::sanitize(&args.after.display().to_string()),
        "Constructor",
        "# New",
        "# Deleted",
        "# Delta",
        "Alloc. Size",
        "Freed Size",
        "Size Delta"
    );
    for r in rows {
        text.push_str(&format!(
            "{:<40} {:>8} {:>9} {:>9} {:>11} {:>11} {:>12}\n",
            format::truncate(&crate::sanitize::sanitize(&r.name), 40),
            format::count(r.added.len() as u64),
            format::count(r.removed.len() as u64),
            format::signed_count(r.count_delta()),
            format::bytes(r.added_size),
            format::bytes(r.removed_size),
            format::signed_bytes(r.size_delta())
        ));
    }
    print(&text)
}
