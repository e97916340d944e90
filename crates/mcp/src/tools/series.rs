//! The series tools: `trend` (each class across the snapshots, sustained growth first) and
//! `suspects` (growing holders with what accumulates under them, their path to the roots,
//! the code to look at and allocation sites).

use super::{blocking, Call};
use crate::answer::{paged, to_value, Answer, Page, ToolError, ToolResult};
use crate::safety::quoted;
use heaptui_leaks::{suspects as leak_suspects, trend as leak_trend};
use heaptui_present::json_series::{Suspects, Trend};
use heaptui_present::{format, labels};
use rmcp::schemars::{self, JsonSchema};
use serde::Deserialize;
use serde_json::Value;

/// Trend rows per page by default.
const DEFAULT_ROWS: usize = 15;
/// The most trend rows one page may carry.
const MAX_ROWS: usize = 200;
/// Suspects ranked, as `heaptui suspects` ranks by default; pages are cut from these.
const SUSPECTS_RANKED: usize = 10;
/// Suspects per page by default: each carries its path and code, about 2–3 kB.
const DEFAULT_SUSPECTS: usize = 2;
/// The longest list inside a suspect (accumulated classes, code, allocation sites): the
/// first entries are the ones to act on.
const SUSPECT_LIST: usize = 5;

/// Arguments of `trend` and `suspects`.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct SeriesArgs {
    /// Handles of two or more snapshots of one process, oldest first.
    pub handles: Vec<String>,
    /// Rows (trend, default 15) or suspects (default 2, at most 10) per page.
    pub limit: Option<usize>,
    /// The first row or suspect to show.
    pub offset: Option<usize>,
}

fn check(args: &SeriesArgs) -> Result<(), ToolError> {
    if args.handles.len() < 2 {
        return Err(ToolError::Argument(
            "handles must name two or more snapshots, oldest first".into(),
        ));
    }
    Ok(())
}

fn files(snapshots: &[heaptui_engine::Snapshot]) -> Vec<String> {
    snapshots
        .iter()
        .map(|s| s.path().display().to_string())
        .collect()
}

/// `trend`: per-class counts and sizes across the series.
pub async fn trend(call: &Call, args: SeriesArgs) -> ToolResult {
    check(&args)?;
    let snapshots = call.snapshots(&args.handles).await?;
    let doc = blocking(move || {
        let mut rows = leak_trend::of_series(&snapshots);
        leak_trend::sort_by_growth(&mut rows);
        to_value(&Trend::of(files(&snapshots), &rows))
    })
    .await?;
    let total = doc["classes"].as_array().map_or(0, Vec::len);
    let page = Page::new(args.offset, args.limit, DEFAULT_ROWS, MAX_ROWS, total)?;
    let doc = paged(doc, "classes", &page);
    let mut text = format!(
        "{}: {} classes, sustained growth first\n",
        args.handles.join(" → "),
        total
    );
    for row in doc["classes"].as_array().into_iter().flatten() {
        let counts: Vec<u64> = row["counts"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(Value::as_u64)
            .collect();
        text.push_str(&format!(
            "  {} {}  {}\n",
            if row["grewEveryInterval"] == true {
                "↑"
            } else {
                " "
            },
            quoted(row["name"].as_str().unwrap_or_default()),
            labels::counts(&counts)
        ));
    }
    text.push_str(&page.note("trend"));
    Ok(Answer {
        structured: doc,
        text,
    })
}

/// `suspects`: ranked growing holders.
pub async fn suspects(call: &Call, args: SeriesArgs) -> ToolResult {
    check(&args)?;
    let snapshots = call.snapshots(&args.handles).await?;
    let doc =
        blocking(move || {
            let trend = leak_trend::of_series(&snapshots);
            let (match_by, list) = leak_suspects::of_series(&snapshots, &trend, SUSPECTS_RANKED);
            to_value(&Suspects::of(files(&snapshots), match_by, &list).with_note(
                heaptui_present::labels::series_matching(&snapshots).map(|(note, _)| note),
            ))
        })
        .await?;
    let total = doc["suspects"].as_array().map_or(0, Vec::len);
    let page = Page::new(
        args.offset,
        args.limit,
        DEFAULT_SUSPECTS,
        SUSPECTS_RANKED,
        total,
    )?;
    let mut doc = paged(doc, "suspects", &page);
    for s in doc["suspects"].as_array_mut().into_iter().flatten() {
        for key in ["accumulates", "code", "allocatedAt", "stores"] {
            if let Some(list) = s[key].as_array_mut() {
                list.truncate(SUSPECT_LIST);
            }
        }
    }
    let mut text = format!(
        "leak suspects of {} (matched by {}): {}\n",
        args.handles.join(" → "),
        doc["matchedBy"].as_str().unwrap_or_default(),
        if total == 0 {
            "no object accumulated new objects".to_string()
        } else {
            format!("{total} ranked")
        }
    );
    for (i, s) in doc["suspects"].as_array().into_iter().flatten().enumerate() {
        let h = &s["holder"];
        text.push_str(&format!(
            "{}. holder {} @{} ({}) holds {} new objects, +{}{}\n",
            page.range().start + i + 1,
            quoted(h["name"].as_str().unwrap_or_default()),
            h["id"],
            quoted(h["className"].as_str().unwrap_or_default()),
            format::count(s["newObjects"].as_u64().unwrap_or(0)),
            format::bytes(s["newSize"].as_u64().unwrap_or(0)),
            s["pattern"]
                .as_str()
                .map_or_else(String::new, |p| format!(", looks like {p}"))
        ));
        for f in s["code"].as_array().into_iter().flatten() {
            let site = &f["location"];
            text.push_str(&format!(
                "   code: {} at {}:{}:{}\n",
                quoted(f["functionName"].as_str().unwrap_or_default()),
                quoted(site["scriptName"].as_str().unwrap_or("?")),
                site["line"].as_u64().map_or(0, |l| l + 1),
                site["column"].as_u64().map_or(0, |c| c + 1),
            ));
        }
    }
    text.push_str(&page.note("suspects"));
    Ok(Answer {
        structured: doc,
        text,
    })
}
