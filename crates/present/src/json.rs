//! The JSON shapes of `--json` output. Field names are an interface other tools depend on.

use heaptui_engine::{
    shown_distance, Aggregate, ClassChange, ClassDiff, Snapshot, Statistics, Verdict,
};
use serde::Serialize;

/// `heaptui summary --json`.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Summary {
    /// The snapshot file.
    pub file: String,
    /// Nodes in the snapshot.
    pub node_count: usize,
    /// Edges in the snapshot.
    pub edge_count: usize,
    /// DevTools' total size.
    pub total_size: u64,
    /// Objects counted over all classes (the status bar's total), before `--filter`.
    pub filter_total_count: u64,
    /// Their shallow size.
    pub filter_total_size: u64,
    /// Statistics view totals.
    pub statistics: Statistics,
    /// With `--allocated-between S1 S2` or an allocated-before/between preset: the object id
    /// range kept, `(after, upTo]`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub allocated_between: Option<IdRange>,
    /// With `--preset`: its name.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub preset: Option<String>,
    /// With `--preset duplicated-strings`: the groups of equal strings.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub duplicated_strings: Option<DuplicatedStrings>,
    /// The rows.
    pub classes: Vec<SummaryClass>,
}

/// DevTools' "Objects allocated between Snapshot 1 and Snapshot 2" filter, applied to a later
/// snapshot: objects allocated between S1 and S2 that are still alive.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct IdRange {
    /// S1's largest JS object id (excluded).
    pub after_id: u32,
    /// S2's largest JS object id (included).
    pub up_to_id: u32,
}

/// The duplicated strings of `summary --preset duplicated-strings`.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct DuplicatedStrings {
    /// Values held by two or more strings.
    pub groups: usize,
    /// What the copies beyond one per value cost.
    pub wasted_size: u64,
    /// The groups with the largest total retained size (DevTools' order).
    pub top: Vec<DuplicateGroup>,
}

/// One value held by several strings.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct DuplicateGroup {
    /// The value.
    pub value: String,
    /// How many strings hold it.
    pub count: u64,
    /// Their total self size.
    pub total_self_size: u64,
    /// Their total retained size.
    pub total_retained_size: u64,
    /// What the copies beyond one cost.
    pub wasted_size: u64,
}

/// One Summary row.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct SummaryClass {
    /// Constructor.
    pub name: String,
    /// Allocation site splitting same-named classes (0-based, as stored).
    pub location: Option<Location>,
    /// Objects.
    pub count: u64,
    /// Shallow size.
    pub shallow_size: u64,
    /// Retained size.
    pub retained_size: u64,
    /// Distance; null where DevTools shows `−`.
    pub distance: Option<i32>,
}

impl SummaryClass {
    /// The row `a` of `snapshot`.
    pub fn of(snapshot: &Snapshot, a: &Aggregate) -> Self {
        SummaryClass {
            name: a.name.clone(),
            location: a.location.map(|l| Location::of(snapshot, l)),
            count: a.count,
            shallow_size: a.shallow_size,
            retained_size: a.retained_size,
            distance: shown_distance(a.distance),
        }
    }
}

/// `heaptui diff --json`.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Diff {
    /// The base snapshot file.
    pub base: String,
    /// The after snapshot file.
    pub after: String,
    /// `"id"` (same process: new and deleted objects) or `"class"` (different processes:
    /// counts and sizes per class only).
    pub matched_by: &'static str,
    /// What the same-process check found.
    pub process_check: ProcessCheck,
    /// Rows of classes that changed.
    pub classes: Vec<DiffClass>,
}

/// The evidence behind `matchedBy`.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ProcessCheck {
    /// Sampled object ids present in both snapshots.
    pub shared_ids: usize,
    /// The fraction of them that kept their type and name.
    pub same_fraction: f64,
    /// Process ids from the file names, when both have one.
    pub pids: Option<(u32, u32)>,
    /// True when the snapshots share (almost) no object id: the producer renumbered them
    /// (Bun, even within one process).
    pub ids_renumbered: bool,
}

impl From<&Verdict> for ProcessCheck {
    fn from(v: &Verdict) -> Self {
        ProcessCheck {
            shared_ids: v.shared_ids,
            same_fraction: (v.same_fraction * 1e4).round() / 1e4,
            pids: v.pids,
            ids_renumbered: v.renumbered,
        }
    }
}

/// One Comparison row. With `matchedBy: "class"` the new/deleted fields are null and the
/// base/after fields are set.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct DiffClass {
    /// Constructor.
    pub name: String,
    /// Allocation site.
    pub location: Option<Location>,
    /// # New.
    pub added_count: Option<u64>,
    /// # Deleted.
    pub removed_count: Option<u64>,
    /// # Delta.
    pub count_delta: i64,
    /// Alloc. Size.
    pub added_size: Option<u64>,
    /// Freed Size.
    pub removed_size: Option<u64>,
    /// Size Delta.
    pub size_delta: i64,
    /// Objects in the base (class matching only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub base_count: Option<u64>,
    /// Objects in the after snapshot (class matching only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub after_count: Option<u64>,
    /// Shallow size in the base (class matching only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub base_size: Option<u64>,
    /// Shallow size in the after snapshot (class matching only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub after_size: Option<u64>,
}

impl DiffClass {
    /// A class-matched row; its location's script named by `snapshots` (after, then base).
    pub fn of_change(snapshots: &[&Snapshot], c: &ClassChange) -> Self {
        DiffClass {
            name: c.name.clone(),
            location: c.location.map(|l| Location::of_any(snapshots, l)),
            added_count: None,
            removed_count: None,
            count_delta: c.count_delta(),
            added_size: None,
            removed_size: None,
            size_delta: c.size_delta(),
            base_count: Some(c.base_count),
            after_count: Some(c.after_count),
            base_size: Some(c.base_size),
            after_size: Some(c.after_size),
        }
    }

    /// An id-matched row; its location's script named by `snapshots` (after, then base).
    pub fn of_diff(snapshots: &[&Snapshot], d: &ClassDiff) -> Self {
        DiffClass {
            name: d.name.clone(),
            location: d.location.map(|l| Location::of_any(snapshots, l)),
            added_count: Some(d.added.len() as u64),
            removed_count: Some(d.removed.len() as u64),
            count_delta: d.count_delta(),
            added_size: Some(d.added_size),
            removed_size: Some(d.removed_size),
            size_delta: d.size_delta(),
            base_count: None,
            after_count: None,
            base_size: None,
            after_size: None,
        }
    }
}

/// `heaptui retainers --json`.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Retainers {
    /// The object asked about.
    pub node: Node,
    /// The Retainers pane's rows, in its order.
    pub retainers: Vec<RetainerEdge>,
    /// The chain DevTools expands by itself, from the object towards the GC roots.
    pub path_to_root: Vec<PathStep>,
    /// The dominator chain (ids), from the object's dominator to the root.
    pub dominator_chain: Vec<u32>,
    /// The retainers ignored with `--ignore` (ids, duplicates dropped).
    pub ignored_ids: Vec<u32>,
}

/// A definition site: as stored (0-based), with the script's name where the snapshot gives
/// one (`null` otherwise).
#[derive(Serialize, Debug, Clone, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct Location {
    /// V8's script id.
    pub script_id: u32,
    /// 0-based line.
    pub line: u32,
    /// 0-based column.
    pub column: u32,
    /// The script's URL or file.
    pub script_name: Option<String>,
}

impl Location {
    /// `location` of `snapshot`, with its script's name.
    pub fn of(snapshot: &Snapshot, location: heaptui_engine::Location) -> Location {
        Location {
            script_id: location.script_id,
            line: location.line,
            column: location.column,
            script_name: snapshot.script_name(&location).map(str::to_string),
        }
    }

    /// A location's JSON, its script named by the first of `snapshots` that names it.
    pub fn of_any(snapshots: &[&Snapshot], location: heaptui_engine::Location) -> Location {
        let named = snapshots
            .iter()
            .map(|s| Location::of(s, location))
            .find(|l| l.script_name.is_some());
        named.unwrap_or_else(|| Location::of(snapshots[0], location))
    }
}

/// The object of `heaptui retainers`.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Node {
    /// Snapshot object id.
    pub id: u32,
    /// Display name.
    pub name: String,
    /// Summary class.
    pub class_name: String,
    /// Node type.
    #[serde(rename = "type")]
    pub node_type: String,
    /// Self size.
    pub self_size: u64,
    /// Retained size.
    pub retained_size: u64,
    /// Distance; null where DevTools shows `−`.
    pub distance: Option<i32>,
    /// Immediate dominator's id.
    pub dominator_id: u32,
    /// With ignored retainers: the distance the Retainers pane uses for it (DevTools'
    /// `distanceForRetainersView`; raw, 200000000 and up when unreachable).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub distance_for_retainers_view: Option<i32>,
}

impl Node {
    /// `node` of `snapshot`.
    pub fn of(snapshot: &Snapshot, node: u32) -> Node {
        Node {
            id: snapshot.node_id(node),
            name: snapshot.display_name(node),
            class_name: snapshot.class_name(node).to_string(),
            node_type: snapshot.type_name(node).to_string(),
            self_size: snapshot.self_size(node),
            retained_size: snapshot.retained_size(node),
            distance: snapshot.shown_distance(node),
            dominator_id: snapshot.node_id(snapshot.dominator(node)),
            distance_for_retainers_view: None,
        }
    }
}

/// One retaining edge.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct RetainerEdge {
    /// Edge type (`property`, `element`, `context`, …).
    pub edge_type: String,
    /// Edge name as DevTools shows it.
    pub edge_name: String,
    /// The retaining object.
    pub retainer: RetainerNode,
}

/// The retaining object of an edge.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct RetainerNode {
    /// Snapshot object id.
    pub id: u32,
    /// Display name.
    pub name: String,
    /// Summary class.
    pub class_name: String,
    /// The distance the pane shows; null for `−`.
    pub distance: Option<i32>,
    /// Self size.
    pub self_size: u64,
    /// Retained size.
    pub retained_size: u64,
    /// Its own retainers, with `--depth` > 1.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub retainers: Option<Vec<RetainerEdge>>,
    /// Set when the object already appears above it (not expanded).
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub cycled_with_ancestor: bool,
    /// Set when the retainer is ignored (`--ignore`).
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub ignored: bool,
}

/// One step of the path to the GC roots.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PathStep {
    /// Edge type.
    pub edge_type: String,
    /// Edge name.
    pub edge_name: String,
    /// Retaining object id.
    pub id: u32,
    /// Its display name.
    pub name: String,
    /// Its Summary class.
    pub class_name: String,
    /// The distance the pane shows; null for `−`.
    pub distance: Option<i32>,
    /// Set when the retainer is ignored (`--ignore`).
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub ignored: bool,
}
