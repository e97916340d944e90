//! The Summary as a document: the rows a filter, preset, sort and cut keep, with the totals
//! and, for the duplicated-strings preset, the groups of equal strings. `summary --json` and
//! the MCP server's `summary` tool print this.

use crate::json;
use crate::presets::Preset;
use crate::sort::{self, SummarySort};
use crate::totals::SummaryTotals;
use heaptui_engine::{Aggregate, DuplicateStrings, ObjectFilter, Snapshot};
use std::borrow::Cow;

/// How many duplicated strings a document lists: the groups wasting most, enough to act on.
pub const DUPLICATES_LISTED: usize = 20;

/// Which rows of the Summary are asked for.
#[derive(Debug, Clone, Copy)]
pub struct Query<'a> {
    /// Keep classes whose name contains this (case-insensitive).
    pub filter: Option<&'a str>,
    /// The column to sort by.
    pub sort: SummarySort,
    /// Reverse the order.
    pub reverse: bool,
    /// Keep only the first rows.
    pub top: Option<usize>,
}

/// The Summary's rows before the class filter: all of them, those `filter` keeps, or (for
/// the duplicated-strings preset) the duplicated strings' rows with their groups.
pub fn rows<'s>(
    snapshot: &'s Snapshot,
    filter: Option<ObjectFilter>,
    preset: Option<Preset>,
) -> (Cow<'s, [Aggregate]>, Option<DuplicateStrings>) {
    match filter {
        _ if preset == Some(Preset::DuplicatedStrings) => {
            let (rows, d) = snapshot.duplicated_strings_summary(&|_| {});
            (Cow::Owned(rows), Some(d))
        }
        Some(f) => (Cow::Owned(snapshot.summary_filtered(f, &|_| {})), None),
        // The unfiltered Summary comes with the analysis.
        None => (Cow::Borrowed(snapshot.summary()), None),
    }
}

/// The rows of `all` the query keeps, in its order.
pub fn select<'r>(all: &'r [Aggregate], query: &Query) -> Vec<&'r Aggregate> {
    let mut rows: Vec<&Aggregate> = all
        .iter()
        .filter(|r| sort::matches_filter(&r.name, query.filter))
        .collect();
    sort::summary(&mut rows, query.sort, query.reverse);
    rows.truncate(query.top.unwrap_or(usize::MAX));
    rows
}

/// The document of `snapshot` (named `file`): `all` the rows for the totals, `rows` those
/// shown, with the filter and preset that made them.
pub fn document(
    snapshot: &Snapshot,
    file: String,
    all: &[Aggregate],
    rows: &[&Aggregate],
    filter: Option<ObjectFilter>,
    preset: Option<Preset>,
    duplicates: Option<&DuplicateStrings>,
) -> json::Summary {
    let totals = SummaryTotals::of(all.iter());
    json::Summary {
        file,
        node_count: snapshot.node_count(),
        edge_count: snapshot.edge_count(),
        total_size: snapshot.total_size(),
        filter_total_count: totals.objects,
        filter_total_size: totals.shallow_size,
        statistics: snapshot.statistics().clone(),
        allocated_between: match filter {
            Some(ObjectFilter::IdRange { after_id, up_to_id }) => {
                Some(json::IdRange { after_id, up_to_id })
            }
            _ => None,
        },
        preset: preset.map(preset_name),
        duplicated_strings: duplicates.map(|d| duplicates_json(snapshot, d)),
        classes: rows
            .iter()
            .map(|&row| json::SummaryClass::of(snapshot, row))
            .collect(),
    }
}

/// The preset's name as `--preset` takes it.
pub fn preset_name(preset: Preset) -> String {
    use clap::ValueEnum;
    preset
        .to_possible_value()
        .map_or_else(String::new, |v| v.get_name().to_string())
}

fn duplicates_json(snapshot: &Snapshot, d: &DuplicateStrings) -> json::DuplicatedStrings {
    json::DuplicatedStrings {
        groups: d.groups.len(),
        wasted_size: d.wasted,
        top: d
            .groups
            .iter()
            .take(DUPLICATES_LISTED)
            .map(|g| json::DuplicateGroup {
                value: snapshot.display_name(g.first),
                count: g.count,
                total_self_size: g.total_self_size,
                total_retained_size: g.total_retained_size,
                wasted_size: g.wasted(),
            })
            .collect(),
    }
}
