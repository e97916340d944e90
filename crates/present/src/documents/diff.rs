//! The Comparison as a document: the rows a filter, sort and cut keep, id- or class-matched,
//! with the same-process check behind the matching. `diff --json` and the MCP server's `diff`
//! tool print this.

use crate::json;
use crate::labels;
use crate::sort::{self, ComparisonSort};
use heaptui_engine::{ClassChange, ClassDiff, Comparison, ComparisonRows, Snapshot};

/// Which rows of the Comparison are asked for.
#[derive(Debug, Clone, Copy)]
pub struct Query<'a> {
    /// Keep classes whose name contains this (case-insensitive).
    pub filter: Option<&'a str>,
    /// The column to sort by.
    pub sort: ComparisonSort,
    /// Reverse the order.
    pub reverse: bool,
    /// Keep only the first rows.
    pub top: Option<usize>,
}

/// The id-matched rows of `all` the query keeps, in its order.
pub fn select_by_id(all: Vec<ClassDiff>, query: &Query) -> Vec<ClassDiff> {
    let mut rows: Vec<ClassDiff> = all
        .into_iter()
        .filter(|r| sort::matches_filter(&r.name, query.filter))
        .collect();
    sort::comparison(&mut rows, query.sort, query.reverse);
    rows.truncate(query.top.unwrap_or(usize::MAX));
    rows
}

/// The class-matched rows of `all` the query keeps, in its order.
pub fn select_by_class(all: Vec<ClassChange>, query: &Query) -> Vec<ClassChange> {
    let mut rows: Vec<ClassChange> = all
        .into_iter()
        .filter(|r| sort::matches_filter(&r.name, query.filter))
        .collect();
    sort::changes(&mut rows, query.sort, query.reverse);
    rows.truncate(query.top.unwrap_or(usize::MAX));
    rows
}

/// The document of `comparison` of `base` (named `base_file`) with `after` (`after_file`).
pub fn document(
    (base, base_file): (&Snapshot, String),
    (after, after_file): (&Snapshot, String),
    comparison: Comparison,
    query: &Query,
) -> json::Diff {
    let named_by = [after, base];
    let classes = match comparison.rows {
        ComparisonRows::ById(all) => select_by_id(all, query)
            .iter()
            .map(|r| json::DiffClass::of_diff(&named_by, r))
            .collect(),
        ComparisonRows::ByClass(all) => select_by_class(all, query)
            .iter()
            .map(|r| json::DiffClass::of_change(&named_by, r))
            .collect(),
    };
    json::Diff {
        base: base_file,
        after: after_file,
        matched_by: labels::match_name(comparison.verdict.match_by),
        process_check: (&comparison.verdict).into(),
        classes,
    }
}
