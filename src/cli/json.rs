//! The JSON shapes of `--json` output. Field names are an interface other tools depend on.

use crate::analysis::aggregates::Aggregate;
use crate::analysis::diff::ClassDiff;
use crate::analysis::statistics::Statistics;
use crate::graph::Location;
use crate::snapshot::shown_distance;
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
    /// The rows.
    pub classes: Vec<SummaryClass>,
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

impl From<&Aggregate> for SummaryClass {
    fn from(a: &Aggregate) -> Self {
        SummaryClass {
            name: a.name.clone(),
            location: a.location,
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
    /// Rows of classes with new or deleted objects.
    pub classes: Vec<DiffClass>,
}

/// One Comparison row.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct DiffClass {
    /// Constructor.
    pub name: String,
    /// Allocation site.
    pub location: Option<Location>,
    /// # New.
    pub added_count: u64,
    /// # Deleted.
    pub removed_count: u64,
    /// # Delta.
    pub count_delta: i64,
    /// Alloc. Size.
    pub added_size: u64,
    /// Freed Size.
    pub removed_size: u64,
    /// Size Delta.
    pub size_delta: i64,
}

impl From<&ClassDiff> for DiffClass {
    fn from(d: &ClassDiff) -> Self {
        DiffClass {
            name: d.name.clone(),
            location: d.location,
            added_count: d.added.len() as u64,
            removed_count: d.removed.len() as u64,
            count_delta: d.count_delta(),
            added_size: d.added_size,
            removed_size: d.removed_size,
            size_delta: d.size_delta(),
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
}
