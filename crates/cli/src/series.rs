//! Commands over a series of snapshots: `heaptui trend` (per-class counts and sizes in each
//! snapshot, sustained growth first) and `heaptui suspects` (ranked leak suspects with their
//! dominant retaining path and a hint when they match a known leak pattern).

use super::{json_line, load_all, markdown, print, Format, Loading};
use heaptui_common::error::{Error, Result};
use heaptui_common::util::sanitize::sanitize;
use heaptui_engine::{Location, MatchBy};
use heaptui_leaks::code::Role;
use heaptui_leaks::explain::Choice;
use heaptui_leaks::holders::Holds;
use heaptui_leaks::patterns::Step;
use heaptui_leaks::{suspects, trend};
use heaptui_present::suspects as wording;
use heaptui_present::{format, labels};
use serde::Serialize;
use std::path::{Path, PathBuf};

/// Arguments of `heaptui trend` and `heaptui suspects`.
#[derive(clap::Args, Debug)]
pub struct Args {
    /// Two or more snapshots, oldest first.
    #[arg(required = true, num_args = 2..)]
    pub snapshots: Vec<PathBuf>,
    /// Print JSON (same as `--format json`).
    #[arg(long)]
    pub json: bool,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
    /// Print only the first N rows.
    #[arg(long, value_name = "N")]
    pub top: Option<usize>,
}

/// Suspects listed when `--top` is not given.
const DEFAULT_SUSPECTS: usize = 10;

/// `heaptui trend --json`.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct TrendJson {
    snapshots: Vec<String>,
    classes: Vec<TrendClass>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct TrendClass {
    name: String,
    location: Option<Location>,
    counts: Vec<u64>,
    sizes: Vec<u64>,
    grew_every_interval: bool,
}

fn file_names(args: &Args) -> Vec<String> {
    args.snapshots
        .iter()
        .map(|p| p.display().to_string())
        .collect()
}

fn load_series(args: &Args, loading: &Loading) -> Result<Vec<heaptui_engine::Snapshot>> {
    let paths: Vec<&Path> = args.snapshots.iter().map(PathBuf::as_path).collect();
    load_all(&paths, loading)
}

/// Runs `heaptui trend`.
pub fn run_trend(args: &Args, loading: &Loading) -> Result<i32> {
    let mut rows = trend::of_series(&load_series(args, loading)?);
    trend::sort_by_growth(&mut rows);
    rows.truncate(args.top.unwrap_or(usize::MAX));
    if Format::pick(args.format, args.json) == Format::Json {
        return print(&json_line(&TrendJson {
            snapshots: file_names(args),
            classes: rows
                .iter()
                .map(|r| TrendClass {
                    name: r.name.clone(),
                    location: r.location,
                    counts: r.counts.clone(),
                    sizes: r.sizes.clone(),
                    grew_every_interval: r.grew_every_interval(),
                })
                .collect(),
        }));
    }
    let mut text = String::new();
    for r in &rows {
        text.push_str(&format!(
            "{} {:<36} {} {:>10} {}\n",
            if r.grew_every_interval() { "↑" } else { " " },
            format::truncate(&sanitize(&r.name), 36),
            labels::sparkline(&r.counts),
            format::signed_count(r.count_delta()),
            labels::counts(&r.counts)
        ));
    }
    print(&text)
}

/// `heaptui suspects --json`.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct SuspectsJson {
    snapshots: Vec<String>,
    matched_by: &'static str,
    holders_matched_by: &'static str,
    /// Why ids could not match objects, for a series matched by class: the first pair not
    /// comparable by id, as [`labels::matching_note`] words it.
    #[serde(skip_serializing_if = "Option::is_none")]
    match_note: Option<String>,
    suspects: Vec<SuspectJson>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct SuspectJson {
    name: String,
    location: Option<Location>,
    counts: Vec<u64>,
    sizes: Vec<u64>,
    new_objects: u64,
    held_size: u64,
    new_size: u64,
    growth: Vec<i64>,
    pattern: Option<&'static str>,
    hint: Option<&'static str>,
    holder: HolderJson,
    accumulates: Vec<AccumulatedJson>,
    path: Vec<Step>,
    holder_path: Vec<StepJson>,
    path_choice: &'static str,
    code: Vec<FunctionJson>,
    allocated_at: Vec<SiteOfJson>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct SiteOfJson {
    function_name: String,
    location: Option<SiteJson>,
    new_objects: u64,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct HolderJson {
    id: u32,
    name: String,
    class_name: String,
    holds: &'static str,
    retained_sizes: Vec<Option<u64>>,
    new_objects: Vec<u64>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct AccumulatedJson {
    class_name: String,
    location: Option<Location>,
    new_objects: u64,
    counts: Vec<u64>,
    size: u64,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct SiteJson {
    script_name: Option<String>,
    script_id: u32,
    line: u32,
    column: u32,
}

impl SiteJson {
    fn new(script_name: &Option<String>, location: Option<Location>) -> Option<SiteJson> {
        location.map(|l| SiteJson {
            script_name: script_name.clone(),
            script_id: l.script_id,
            line: l.line,
            column: l.column,
        })
    }
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct StepJson {
    edge_type: String,
    edge_name: String,
    id: u32,
    name: String,
    class_name: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    location: Option<SiteJson>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct FunctionJson {
    function_name: String,
    location: Option<SiteJson>,
    new_objects: u64,
    role: &'static str,
    via: String,
}

impl From<&suspects::Suspect> for SuspectJson {
    fn from(s: &suspects::Suspect) -> Self {
        let h = &s.holder;
        let leading = s.leading();
        SuspectJson {
            name: leading.map_or_else(|| s.holder_class.clone(), |a| a.class_name.clone()),
            location: leading.and_then(|a| a.location),
            counts: s.trend.as_ref().map_or_else(Vec::new, |t| t.counts.clone()),
            sizes: s.trend.as_ref().map_or_else(Vec::new, |t| t.sizes.clone()),
            new_objects: *h.members.last().unwrap_or(&0),
            held_size: *h.members_retained.last().unwrap_or(&0),
            new_size: h.new_size,
            growth: s.growth(),
            pattern: s.pattern.map(|p| p.id),
            hint: s.pattern.map(|p| p.hint),
            holder: HolderJson {
                id: h.id,
                name: s.holder_name.clone(),
                class_name: s.holder_class.clone(),
                holds: match h.holds {
                    Holds::Dominates => "dominates",
                    Holds::Retains => "retains",
                },
                retained_sizes: h.retained.clone(),
                new_objects: h.members.clone(),
            },
            accumulates: h
                .accumulates
                .iter()
                .map(|a| AccumulatedJson {
                    class_name: a.class_name.clone(),
                    location: a.location,
                    new_objects: *a.counts.last().unwrap_or(&0),
                    counts: a.counts.clone(),
                    size: a.size,
                })
                .collect(),
            path: s.steps(),
            holder_path: s
                .holder_path
                .iter()
                .map(|p| StepJson {
                    edge_type: p.edge_type.clone(),
                    edge_name: p.edge_name.clone(),
                    id: p.id,
                    name: p.name.clone(),
                    class_name: p.class_name.clone(),
                    location: SiteJson::new(&p.script_name, p.location),
                })
                .collect(),
            path_choice: match s.path_choice {
                Choice::Explanatory => "explanatory",
                Choice::Shortest => "shortest",
            },
            code: s
                .code
                .iter()
                .map(|f| FunctionJson {
                    function_name: f.name.clone(),
                    location: SiteJson::new(&f.script_name, f.location),
                    new_objects: f.objects,
                    role: match f.role {
                        Role::Held => "held",
                        Role::OnPath => "onPath",
                    },
                    via: f.via.clone(),
                })
                .collect(),
            allocated_at: s
                .allocated_at
                .iter()
                .map(|a| SiteOfJson {
                    function_name: a.frame.function_name.clone(),
                    location: SiteJson::new(&a.frame.script_name, a.frame.location),
                    new_objects: a.objects,
                })
                .collect(),
        }
    }
}

/// Runs `heaptui suspects`.
pub fn run_suspects(args: &Args, loading: &Loading) -> Result<i32> {
    if args.snapshots.len() < 2 {
        return Err(Error::usage("suspects needs two or more snapshots"));
    }
    let snapshots = load_series(args, loading)?;
    let clock = std::time::Instant::now();
    let trend = trend::of_series(&snapshots);
    let trend_time = clock.elapsed();
    let top = args.top.unwrap_or(DEFAULT_SUSPECTS);
    let (match_by, list) = suspects::of_series(&snapshots, &trend, top);
    if loading.timings {
        eprintln!(
            "timings of the series: trend {:.3} s, suspects {:.3} s",
            trend_time.as_secs_f64(),
            (clock.elapsed() - trend_time).as_secs_f64()
        );
    }
    let by_shape = match_by == MatchBy::Class;
    // The pair that made the series one of class matching says why (another process, or a
    // producer that renumbers ids, as Bun does within one process).
    let verdict = snapshots
        .windows(2)
        .map(|w| w[0].judge_pair(&w[1]))
        .find(|v| v.match_by == MatchBy::Class);
    let note = verdict.as_ref().map(labels::matching_note);
    // Only renumbered ids need the extra line in the reports: "different processes" in the
    // heading says the rest.
    let renumbered = verdict
        .as_ref()
        .filter(|v| v.renumbered)
        .and(note.as_deref());
    match Format::pick(args.format, args.json) {
        Format::Json => print(&json_line(&SuspectsJson {
            snapshots: file_names(args),
            matched_by: labels::match_name(match_by),
            holders_matched_by: if by_shape { "pathShape" } else { "id" },
            match_note: note.clone(),
            suspects: list.iter().map(Into::into).collect(),
        })),
        Format::Markdown => print(&markdown::suspects(&list, by_shape, renumbered)),
        Format::Text => print(&text(&list, by_shape, renumbered)),
    }
}

/// Classes listed per suspect in the text report.
const CLASSES_SHOWN: usize = 4;

fn text(list: &[suspects::Suspect], by_shape: bool, note: Option<&str>) -> String {
    let heading = match note {
        Some(_) => wording::MATCHING_RENUMBERED,
        None => wording::matching(by_shape),
    };
    let mut out = format!("Leak suspects ({heading})\n");
    if let Some(note) = note {
        out.push_str(&format!("{note}\n"));
    }
    if list.is_empty() {
        out.push_str("no object accumulated new objects across the series\n");
    }
    for (i, s) in list.iter().enumerate() {
        let safe = |t: String| sanitize(&t).into_owned();
        out.push_str(&format!(
            "{}. {}  {}  retained {}\n   {}: {}\n",
            i + 1,
            safe(wording::holder(s)),
            safe(s.holder_class.clone()),
            wording::retained(s),
            wording::summary(s),
            safe(wording::accumulates(s, CLASSES_SHOWN)),
        ));
        if let Some(p) = s.pattern {
            out.push_str(&format!("   likely: {}\n", p.hint));
        }
        out.push_str(&format!(
            "   path ({}): {}\n",
            safe(wording::path_end(s)),
            safe(wording::path(&s.holder_path))
        ));
        for f in &s.code {
            out.push_str(&format!("   code: {}\n", safe(wording::function(f))));
        }
        for a in &s.allocated_at {
            out.push_str(&format!(
                "   allocated at: {}\n",
                safe(wording::allocation_site(a))
            ));
        }
    }
    out
}
