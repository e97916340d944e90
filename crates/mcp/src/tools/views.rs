//! DevTools' class views: `summary` (with presets), `duplicated_strings`, `diff` (the
//! Comparison, with the cross-process check) and `statistics`. The documents are the CLI's
//! `--json` documents, built by the same functions; only the rows are cut to a page.

use super::{blocking, choice, Call};
use crate::answer::{paged, to_value, Answer, Page, ToolError, ToolResult};
use crate::safety::quoted;
use heaptui_engine::{MatchBy, NamedFilter, ObjectFilter, Snapshot};
use heaptui_present::documents::{diff as diff_doc, summary as summary_doc};
use heaptui_present::json_views::StatisticsDoc;
use heaptui_present::presets::{self, Preset, PresetMisuse};
use heaptui_present::sort::{ComparisonSort, SummarySort};
use heaptui_present::{format, statistics as stats_rows};
use rmcp::schemars::{self, JsonSchema};
use serde::Deserialize;
use serde_json::Value;

/// Rows per page by default: the classes that matter come first in every sort, and 15 rows
/// keep an answer near 4 kB.
const DEFAULT_ROWS: usize = 15;
/// The most rows one page may carry (about 40 kB).
const MAX_ROWS: usize = 200;

/// Arguments of `summary`.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct SummaryArgs {
    /// The snapshot's handle (from `open`).
    pub handle: String,
    /// Keep classes whose name contains this text (case-insensitive).
    pub filter: Option<String>,
    /// Sort column: retained (default), shallow, count, distance or name.
    pub sort: Option<String>,
    /// Reverse the sort order.
    pub reverse: Option<bool>,
    /// A DevTools Summary filter: all, allocated-before, allocated-between,
    /// duplicated-strings, detached-dom, contexts, console, event-handlers.
    pub preset: Option<String>,
    /// Handles of earlier snapshots of the same process for allocated-before (S1) and
    /// allocated-between (S1 [S2]).
    pub earlier: Option<Vec<String>>,
    /// Instead of a preset, a DevTools named filter by its own name: sharedNativeContext,
    /// noNativeContext, nativeContext_<nodeIndex> (a realm's `filter` from `realms`), or a
    /// preset's (objectsRetainedByContexts, …).
    pub named_filter: Option<String>,
    /// Rows per page (default 15, at most 200).
    pub limit: Option<usize>,
    /// The first row to show (from the previous page's `nextOffset`).
    pub offset: Option<usize>,
}

/// The filter `named_filter` names, refused when a preset is given too.
fn named_filter(name: &str, preset: Option<Preset>) -> Result<ObjectFilter, ToolError> {
    if preset.is_some() {
        return Err(ToolError::Argument(
            "give either preset or named_filter, not both".to_string(),
        ));
    }
    NamedFilter::from_devtools_name(name)
        .map(ObjectFilter::Named)
        .ok_or_else(|| {
            ToolError::Argument(format!(
                "named_filter {} is not a DevTools filter (sharedNativeContext, noNativeContext, nativeContext_<nodeIndex>, objectsRetainedByContexts, …)",
                quoted(name)
            ))
        })
}

/// Arguments of `duplicated_strings`.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct DuplicatesArgs {
    /// The snapshot's handle.
    pub handle: String,
    /// Groups per page (default 10, at most 20: the groups wasting most are listed).
    pub limit: Option<usize>,
    /// The first group to show.
    pub offset: Option<usize>,
}

/// Arguments of `diff`.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct DiffArgs {
    /// The earlier snapshot's handle.
    pub base: String,
    /// The later snapshot's handle.
    pub after: String,
    /// auto (default: by id within one process, by class across processes), id or class.
    #[serde(rename = "match")]
    pub match_by: Option<String>,
    /// Keep classes whose name contains this text (case-insensitive).
    pub filter: Option<String>,
    /// Sort column: alloc-size (default), new, deleted, delta, freed-size, size-delta, name.
    pub sort: Option<String>,
    /// Reverse the sort order.
    pub reverse: Option<bool>,
    /// Rows per page (default 15, at most 200).
    pub limit: Option<usize>,
    /// The first row to show.
    pub offset: Option<usize>,
}

/// Arguments of `statistics`.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct StatisticsArgs {
    /// The snapshot's handle.
    pub handle: String,
}

/// The object filter of a preset, with its earlier snapshots (the CLI's rules for
/// `--preset` and `--earlier`).
fn object_filter(
    preset: Option<Preset>,
    earlier: &[Snapshot],
    this: &Snapshot,
) -> Result<Option<ObjectFilter>, ToolError> {
    presets::object_filter(preset, earlier, this).map_err(|misuse| {
        ToolError::Argument(
            match misuse {
                PresetMisuse::NeedsEarlier => {
                    "preset allocated-between needs earlier: [S1] or [S1, S2]"
                }
                PresetMisuse::EarlierNotTaken => {
                    "earlier is taken only with allocated-before ([S1]) or allocated-between ([S1] or [S1, S2])"
                }
            }
            .to_string(),
        )
    })
}

/// `summary`: the Summary's rows, a page at a time.
pub async fn summary(call: &Call, args: SummaryArgs) -> ToolResult {
    let sort = choice("sort", args.sort.as_deref(), SummarySort::Retained)?;
    let preset = args
        .preset
        .as_deref()
        .map(|p| choice("preset", Some(p), Preset::All))
        .transpose()?;
    let earlier = call
        .snapshots(&args.earlier.clone().unwrap_or_default())
        .await?;
    let snapshot = call.snapshot(&args.handle).await?;
    let filter = match &args.named_filter {
        Some(name) => Some(named_filter(name, preset)?),
        None => object_filter(preset, &earlier, &snapshot)?,
    };
    let (limit, offset) = (args.limit, args.offset);
    let (doc, total) = blocking(move || {
        let (all, duplicates) = summary_doc::rows(&snapshot, filter, preset);
        let query = summary_doc::Query {
            filter: args.filter.as_deref(),
            sort,
            reverse: args.reverse.unwrap_or(false),
            top: None,
        };
        let rows = summary_doc::select(&all, &query);
        let total = rows.len();
        let doc = summary_doc::document(
            &snapshot,
            snapshot.path().display().to_string(),
            &all,
            &rows,
            filter,
            preset,
            duplicates.as_ref(),
        );
        (to_value(&doc), total)
    })
    .await?;
    let page = Page::new(offset, limit, DEFAULT_ROWS, MAX_ROWS, total)?;
    let mut doc = paged(doc, "classes", &page);
    // The duplicated strings have a tool of their own; the Summary keeps the rows.
    if let Value::Object(map) = &mut doc {
        map.remove("duplicatedStrings");
        map.insert("handle".into(), args.handle.clone().into());
    }
    let mut text = format!(
        "{} Summary{}: {} nodes, total {}; {} classes{}\n",
        args.handle,
        match (&args.named_filter, preset) {
            (Some(name), _) => format!(" ({})", quoted(name)),
            (None, Some(p)) => format!(" ({})", p.title()),
            (None, None) => String::new(),
        },
        format::count(doc["nodeCount"].as_u64().unwrap_or(0)),
        format::bytes(doc["totalSize"].as_u64().unwrap_or(0)),
        format::count(total as u64),
        if total > page.limit {
            format!(", rows {}–{}", page.range().start + 1, page.range().end)
        } else {
            String::new()
        }
    );
    for row in doc["classes"].as_array().into_iter().flatten() {
        text.push_str(&format!(
            "  {}  count {}  shallow {}  retained {}  distance {}\n",
            quoted(row["name"].as_str().unwrap_or_default()),
            format::count(row["count"].as_u64().unwrap_or(0)),
            format::bytes(row["shallowSize"].as_u64().unwrap_or(0)),
            format::bytes(row["retainedSize"].as_u64().unwrap_or(0)),
            format::distance(row["distance"].as_i64().map(|d| d as i32)),
        ));
    }
    text.push_str(&page.note("summary"));
    Ok(Answer {
        structured: doc,
        text,
    })
}

/// `duplicated_strings`: the values held by several strings, most wasted first.
pub async fn duplicated_strings(call: &Call, args: DuplicatesArgs) -> ToolResult {
    let entry = call.session.handles.get(&args.handle)?;
    let doc = match entry.duplicated_strings.get() {
        Some(doc) => doc.clone(),
        None => {
            let doc = duplicates_doc(call.snapshot(&args.handle).await?).await?;
            entry.duplicated_strings.get_or_init(|| doc).clone()
        }
    };
    let listed = doc["top"].as_array().map_or(0, Vec::len);
    let page = Page::new(
        args.offset,
        args.limit,
        10,
        summary_doc::DUPLICATES_LISTED,
        listed,
    )?;
    let mut doc = paged(doc, "top", &page);
    if let Value::Object(map) = &mut doc {
        map.insert("handle".into(), args.handle.clone().into());
    }
    let mut text = format!(
        "{}: {} duplicated values, {} wasted by copies (the {} wasting most are listed)\n",
        args.handle,
        format::count(doc["groups"].as_u64().unwrap_or(0)),
        format::bytes(doc["wastedSize"].as_u64().unwrap_or(0)),
        listed
    );
    for g in doc["top"].as_array().into_iter().flatten() {
        text.push_str(&format!(
            "  {} ×{}  {} wasted\n",
            quoted(g["value"].as_str().unwrap_or_default()),
            format::count(g["count"].as_u64().unwrap_or(0)),
            format::bytes(g["wastedSize"].as_u64().unwrap_or(0)),
        ));
    }
    text.push_str(&page.note("duplicated_strings"));
    Ok(Answer {
        structured: doc,
        text,
    })
}

/// How `diff`'s `match` argument reads.
#[derive(clap::ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
enum MatchArg {
    /// Decide from the snapshots.
    Auto,
    /// By object id.
    Id,
    /// By class counts and sizes.
    Class,
}

/// `diff`: the Comparison of two snapshots, a page of classes at a time.
pub async fn diff(call: &Call, args: DiffArgs) -> ToolResult {
    let sort = choice("sort", args.sort.as_deref(), ComparisonSort::AllocSize)?;
    let force = match choice("match", args.match_by.as_deref(), MatchArg::Auto)? {
        MatchArg::Auto => None,
        MatchArg::Id => Some(MatchBy::Id),
        MatchArg::Class => Some(MatchBy::Class),
    };
    let both = call
        .snapshots(&[args.base.clone(), args.after.clone()])
        .await?;
    let (limit, offset) = (args.limit, args.offset);
    let filter = args.filter.clone();
    let reverse = args.reverse.unwrap_or(false);
    let (doc, note) = blocking(move || {
        let (base, after) = (&both[0], &both[1]);
        let comparison = heaptui_engine::compare(base, after, force);
        let note = heaptui_present::labels::matching_note(&comparison.verdict);
        let query = diff_doc::Query {
            filter: filter.as_deref(),
            sort,
            reverse,
            top: None,
        };
        let doc = diff_doc::document(
            (base, base.path().display().to_string()),
            (after, after.path().display().to_string()),
            comparison,
            &query,
        );
        (to_value(&doc), note)
    })
    .await?;
    let total = doc["classes"].as_array().map_or(0, Vec::len);
    let page = Page::new(offset, limit, DEFAULT_ROWS, MAX_ROWS, total)?;
    let doc = paged(doc, "classes", &page);
    let by_id = doc["matchedBy"] == "id";
    let mut text = format!(
        "{} → {}: {} changed classes\n{note}\n",
        args.base,
        args.after,
        format::count(total as u64)
    );
    for row in doc["classes"].as_array().into_iter().flatten() {
        let n = |k: &str| row[k].as_u64().unwrap_or(0);
        let counts = if by_id {
            format!(
                "new {}  deleted {}",
                format::count(n("addedCount")),
                format::count(n("removedCount"))
            )
        } else {
            format!(
                "base {}  after {}",
                format::count(n("baseCount")),
                format::count(n("afterCount"))
            )
        };
        text.push_str(&format!(
            "  {}  {counts}  delta {}  size delta {}\n",
            quoted(row["name"].as_str().unwrap_or_default()),
            format::signed_count(row["countDelta"].as_i64().unwrap_or(0)),
            format::signed_bytes(row["sizeDelta"].as_i64().unwrap_or(0)),
        ));
    }
    text.push_str(&page.note("diff"));
    Ok(Answer {
        structured: doc,
        text,
    })
}

/// `statistics`: DevTools' Statistics view.
pub async fn statistics(call: &Call, args: StatisticsArgs) -> ToolResult {
    let snapshot = call.snapshot(&args.handle).await?;
    let stats = snapshot.statistics();
    let doc = StatisticsDoc::of(snapshot.path().display().to_string(), stats);
    let mut text = format!("{}: total {}\n", args.handle, format::bytes(stats.total));
    for row in stats_rows::rows(stats) {
        text.push_str(&format!(
            "  {:<22} {:>9} {:>6}\n",
            row.label,
            format::bytes(row.size),
            stats_rows::percent(row.size, stats.total)
        ));
    }
    Ok(Answer {
        structured: to_value(&doc),
        text,
    })
}

/// The `duplicated_strings` document of `snapshot` (every group's total, the top listed).
async fn duplicates_doc(snapshot: Snapshot) -> Result<Value, ToolError> {
    blocking(move || {
        let preset = Some(Preset::DuplicatedStrings);
        let (all, duplicates) = summary_doc::rows(&snapshot, None, preset);
        let doc = summary_doc::document(
            &snapshot,
            snapshot.path().display().to_string(),
            &all,
            &[],
            None,
            preset,
            duplicates.as_ref(),
        );
        to_value(&doc.duplicated_strings)
    })
    .await
}
